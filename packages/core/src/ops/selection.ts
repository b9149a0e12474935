import { sumToShape } from './sum-to-shape.js';
import { DataType } from '../ir/dtype.js';
import { defineOp } from './registry.js';
import { broadcast, broadcastShapes } from './shape-rules.js';

// Comparisons give booleans, which carry no gradient.
for (const opType of ['Greater', 'Less', 'Equal']) {
  defineOp({ opType, infer: broadcast(opType, DataType.BOOL), gradient: null });
}

defineOp({
  opType: 'Where',
  infer: (inputs) => [
    {
      dtype: inputs[1]!.dtype,
      shape: broadcastShapes(broadcastShapes(inputs[0]!.shape, inputs[1]!.shape, 'Where'), inputs[2]!.shape, 'Where'),
    },
  ],
  constantInputs: [0],
  // The gradient goes to whichever branch was selected.
  gradient: ({ b, inputs: [c, x, y], dy: [g], wants }) => {
    const zero = b.constant(0, g!.dtype);
    return [
      undefined,
      wants[1] ? sumToShape(b, b.op('Where', [c, g, zero]), x!.shape) : undefined,
      wants[2] ? sumToShape(b, b.op('Where', [c, zero, g]), y!.shape) : undefined,
    ];
  },
});

// IsNaN, for graphs callers build (the preprocessing tests x == x instead: wider reach); booleans carry no gradient.
defineOp({ opType: 'IsNaN', infer: ([x]) => [{ dtype: DataType.BOOL, shape: x!.shape }], gradient: null });
