import { sumToShape } from './sum-to-shape.js';
import { defineOp } from './registry.js';
import { broadcast, sameAs } from './shape-rules.js';

// Binary ops broadcast numpy-style, so every input gradient is summed back to that input's shape.

defineOp({
  opType: 'Add',
  infer: broadcast('Add'),
  gradient: ({ b, inputs: [x, y], dy: [g], wants }) => [
    wants[0] ? sumToShape(b, g!, x!.shape) : undefined,
    wants[1] ? sumToShape(b, g!, y!.shape) : undefined,
  ],
});

defineOp({
  opType: 'Sub',
  infer: broadcast('Sub'),
  gradient: ({ b, inputs: [x, y], dy: [g], wants }) => [
    wants[0] ? sumToShape(b, g!, x!.shape) : undefined,
    wants[1] ? sumToShape(b, b.op('Neg', [g]), y!.shape) : undefined,
  ],
});

defineOp({
  opType: 'Mul',
  infer: broadcast('Mul'),
  gradient: ({ b, inputs: [x, y], dy: [g], wants }) => [
    wants[0] ? sumToShape(b, b.op('Mul', [g, y]), x!.shape) : undefined,
    wants[1] ? sumToShape(b, b.op('Mul', [g, x]), y!.shape) : undefined,
  ],
});

defineOp({
  opType: 'Div',
  infer: broadcast('Div'),
  // d(x/y)/dy = -(x/y)/y: reuse the forward output instead of squaring y.
  gradient: ({ b, inputs: [x, y], outputs: [z], dy: [g], wants }) => [
    wants[0] ? sumToShape(b, b.op('Div', [g, y]), x!.shape) : undefined,
    wants[1] ? sumToShape(b, b.op('Neg', [b.op('Div', [b.op('Mul', [g, z]), y])]), y!.shape) : undefined,
  ],
});

defineOp({
  opType: 'Neg',
  infer: sameAs(),
  gradient: ({ b, dy: [g] }) => [b.op('Neg', [g])],
});
