import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Dim, Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { ShapeError, intAttr, normAxis, numbersOf } from './shape-rules.js';

// Split and Concat are each other's gradient: onnx-mlp uses them to pack every parameter into one
// flat vector, so an optimizer update is a few large element-wise ops instead of a dozen small ones.

function zerosLike(b: GraphBuilder, v: Value): Value {
  if (!v.shape.every((d) => typeof d === 'number')) throw new ShapeError(`zeros like ${v.name} need a static shape`);
  return b.op('Expand', [b.constant(0, v.dtype), b.constant(v.shape as number[], DataType.INT64)]);
}

defineOp({
  opType: 'Split',
  // Opset 13: sizes come as the optional second input.
  infer: ([x, split], attrs, constant) => {
    const axis = normAxis(intAttr(attrs, 'axis', 0), x!.shape.length);
    const data = split?.name ? constant(split) : undefined;
    if (!data) throw new ShapeError('Split: the split sizes must be a constant');
    return numbersOf(data).map((n) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? n : d)) }));
  },
  constantInputs: [1],
  gradient: ({ b, outputs, attrs, dy }) => [
    b.op(
      'Concat',
      outputs.map((o, i) => dy[i] ?? zerosLike(b, o)),
      { axis: { kind: 'int', value: intAttr(attrs, 'axis', 0) } },
    ),
    undefined,
  ],
});

defineOp({
  opType: 'Concat',
  infer: (inputs, attrs) => {
    const first = inputs[0]!;
    const axis = normAxis(intAttr(attrs, 'axis', 0), first.shape.length);
    const dims = inputs.map((v) => v.shape[axis]!);
    const total: Dim = dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((p, q) => p + q, 0) : 'concat';
    return [{ dtype: first.dtype, shape: first.shape.map((d, i) => (i === axis ? total : d)) }];
  },
  gradient: ({ b, inputs, attrs, dy: [g], wants }) => {
    const axis = intAttr(attrs, 'axis', 0);
    const sizes = inputs.map((v) => v.shape[normAxis(axis, v.shape.length)]);
    if (!sizes.every((d) => typeof d === 'number')) throw new ShapeError('Concat: gradients need static sizes along the axis');
    const parts = b.ops(
      'Split',
      [g, b.constant(sizes as number[], DataType.INT64)],
      { axis: { kind: 'int', value: axis } },
      { count: inputs.length },
    );
    return parts.map((p, i) => (wants[i] ? p : undefined));
  },
});

// Slice takes columns out of the raw feature vector in the preprocessing, which no gradient passes
// through: no gradient rule. Starts, ends and axes must be constants (steps are not used).
defineOp({
  opType: 'Slice',
  infer: ([x, starts, ends, axes], _attrs, constant) => {
    const values = [starts, ends, axes].map((v) => (v?.name ? constant(v) : undefined));
    if (!values.every((v) => v !== undefined)) throw new ShapeError('Slice: starts, ends and axes must be constants');
    const [s, e, a] = values.map((v) => numbersOf(v!)) as [number[], number[], number[]];
    const shape = [...x!.shape];
    a.forEach((axis, k) => {
      const i = normAxis(axis, shape.length);
      const size = shape[i];
      if (typeof size !== 'number') throw new ShapeError('Slice: the sliced axis needs a static size');
      const clamp = (n: number) => Math.min(Math.max(n < 0 ? n + size : n, 0), size);
      shape[i] = Math.max(clamp(e[k]!) - clamp(s[k]!), 0);
    });
    return [{ dtype: x!.dtype, shape }];
  },
  constantInputs: [1, 2, 3],
  gradient: null,
});
