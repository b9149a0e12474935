import { defineOp } from './registry.js';
import { floatAttr, sameAs } from './shape-rules.js';

defineOp({
  opType: 'Relu',
  infer: sameAs(),
  // g * (y > 0), from the output y = relu(x) (y > 0 exactly where x > 0): the forward Gemm's only
  // reader is then the Relu, which ONNX Runtime fuses into it (FusedGemm). Not Where(y > 0, g, 0):
  // ORT's CPU Where is several times slower than Cast and Mul together on large tensors
  // (measured on [512, 512]: 229 µs against 54 + 55).
  gradient: ({ b, outputs: [y], dy: [g] }) => {
    const positive = b.op('Greater', [y, b.constant(0, y!.dtype)]);
    return [b.op('Mul', [g, b.op('Cast', [positive], { to: { kind: 'int', value: y!.dtype } })])];
  },
});

defineOp({
  opType: 'LeakyRelu',
  infer: sameAs(),
  gradient: ({ b, inputs: [x], attrs, dy: [g] }) => {
    const alpha = floatAttr(attrs, 'alpha', 0.01);
    const positive = b.op('Greater', [x, b.constant(0, x!.dtype)]);
    return [b.op('Where', [positive, g, b.op('Mul', [g, b.constant(alpha, x!.dtype)])])];
  },
});

defineOp({
  opType: 'Sigmoid',
  infer: sameAs(),
  // s' = s (1 - s), from the forward output.
  gradient: ({ b, outputs: [y], dy: [g] }) => {
    const slope = b.op('Mul', [y, b.op('Sub', [b.constant(1, y!.dtype), y])]);
    return [b.op('Mul', [g, slope])];
  },
});

defineOp({
  opType: 'Tanh',
  infer: sameAs(),
  // tanh' = 1 - tanh^2, from the forward output.
  gradient: ({ b, outputs: [y], dy: [g] }) => {
    const slope = b.op('Sub', [b.constant(1, y!.dtype), b.op('Mul', [y, y])]);
    return [b.op('Mul', [g, slope])];
  },
});
