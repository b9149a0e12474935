import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { ShapeError, intAttr, normAxis, numbersOf } from './shape-rules.js';

defineOp({
  opType: 'OneHot',
  // Indices in, one row of (off, on) per index out; labels carry no gradient.
  infer: ([indices, depth, values], attrs, constant) => {
    const d = constant(depth!);
    const n = d ? numbersOf(d)[0]! : 'depth';
    const shape = [...indices!.shape];
    const axis = intAttr(attrs, 'axis', -1);
    shape.splice(axis < 0 ? shape.length + 1 + axis : axis, 0, n);
    return [{ dtype: values!.dtype, shape }];
  },
  gradient: null,
});

defineOp({
  opType: 'Gather',
  infer: ([data, indices], attrs) => {
    const axis = normAxis(intAttr(attrs, 'axis', 0), data!.shape.length);
    const shape = [...data!.shape.slice(0, axis), ...indices!.shape, ...data!.shape.slice(axis + 1)];
    return [{ dtype: data!.dtype, shape }];
  },
  constantInputs: [1],
  // Rows gathered from a matrix: scatter-add the gradient rows back, written as
  // OneHot(indices)^T dY so it stays one Gemm in any dtype (ScatterND's add has few kernels).
  gradient: ({ b, inputs: [data, indices], attrs, dy: [g] }) => {
    const rows = data!.shape[0];
    if (intAttr(attrs, 'axis', 0) !== 0 || data!.shape.length !== 2 || indices!.shape.length !== 1 || typeof rows !== 'number') {
      throw new ShapeError('Gather: gradients are implemented for 1-D indices into the rows of a 2-D tensor of known height');
    }
    const onehot = oneHot(b, indices!, rows, data!.dtype);
    return [b.op('Gemm', [onehot, g], { transA: { kind: 'int', value: 1 } }), undefined];
  },
});

/**
 * One-hot rows of `indices` in `dtype`. ORT CPU's OneHot has no float64 output kernel, so the
 * one-hot is made in float32 (exact for 0 and 1) and cast.
 */
export function oneHot(b: GraphBuilder, indices: Value, depth: number, dtype: DataType): Value {
  const hot = b.op('OneHot', [indices, b.constant(depth, DataType.INT64), b.constant([0, 1], DataType.FLOAT)], {
    axis: { kind: 'int', value: -1 },
  });
  return dtype === DataType.FLOAT ? hot : b.op('Cast', [hot], { to: { kind: 'int', value: dtype } });
}
