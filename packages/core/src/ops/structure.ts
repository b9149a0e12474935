import { sumToShape } from './sum-to-shape.js';
import { DataType, isFloat } from '../ir/dtype.js';
import type { Dim } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { ShapeError, broadcastShapes, intAttr, intsAttr, normAxis, numbersOf } from './shape-rules.js';

// Ops that move, reshape or describe tensors rather than compute on their values.

defineOp({
  opType: 'Shape',
  // Opset 15's start and end select a range of the dimensions, as a Python slice does.
  infer: ([x], attrs) => {
    const rank = x!.shape.length;
    const at = (i: number) => Math.min(rank, Math.max(0, i < 0 ? i + rank : i));
    return [{ dtype: DataType.INT64, shape: [Math.max(0, at(intAttr(attrs, 'end', rank)) - at(intAttr(attrs, 'start', 0)))] }];
  },
  gradient: null,
});

defineOp({
  opType: 'ConstantOfShape',
  // The output's rank is the shape input's length; its dimensions are known only at run time
  // (callers that know them pass OpOptions.shape).
  infer: ([shape], attrs) => {
    const value = attrs.value;
    const dtype = value?.kind === 'tensor' ? value.value.dtype : DataType.FLOAT;
    const rank = shape!.shape[0];
    if (typeof rank !== 'number') throw new ShapeError('ConstantOfShape: the shape input needs a static length');
    return [{ dtype, shape: Array.from({ length: rank }, (_, i) => `d${i}`) }];
  },
  gradient: null,
});

defineOp({
  opType: 'Size',
  infer: () => [{ dtype: DataType.INT64, shape: [] }],
  gradient: null,
});

defineOp({
  opType: 'Cast',
  infer: ([x], attrs) => [{ dtype: intAttr(attrs, 'to', DataType.FLOAT) as DataType, shape: x!.shape }],
  // A float-to-float cast passes the gradient back in the input's precision; others stop it.
  gradient: ({ b, inputs: [x], outputs: [y], dy: [g] }) => [
    isFloat(x!.dtype) && isFloat(y!.dtype) ? b.op('Cast', [g], { to: { kind: 'int', value: x!.dtype } }) : undefined,
  ],
});

defineOp({
  opType: 'Transpose',
  infer: ([x], attrs) => {
    const perm = intsAttr(attrs, 'perm') ?? x!.shape.map((_, i) => x!.shape.length - 1 - i);
    return [{ dtype: x!.dtype, shape: perm.map((p) => x!.shape[p]!) }];
  },
  gradient: ({ b, inputs: [x], attrs, dy: [g] }) => {
    const perm = intsAttr(attrs, 'perm') ?? x!.shape.map((_, i) => x!.shape.length - 1 - i);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [b.op('Transpose', [g], { perm: { kind: 'ints', value: inverse } })];
  },
});

defineOp({
  opType: 'Reshape',
  infer: ([x, shape], _attrs, constant) => {
    const data = constant(shape!);
    if (!data) return [{ dtype: x!.dtype, shape: Array.from({ length: Number(shape!.shape[0]) }, (_, i) => `d${i}`) }];
    const target = numbersOf(data);
    const known = x!.shape.every((d) => typeof d === 'number');
    const total = known ? (x!.shape as number[]).reduce((p, q) => p * q, 1) : undefined;
    const dims: Dim[] = target.map((d, i) => (d === 0 ? x!.shape[i]! : d));
    const rest = dims
      .filter((d) => d !== -1)
      .reduce<number | undefined>((p, q) => (p === undefined || typeof q !== 'number' ? undefined : p * q), 1);
    return [
      {
        dtype: x!.dtype,
        shape: dims.map((d) => (d === -1 ? (total !== undefined && rest ? total / rest : 'reshaped') : d)),
      },
    ];
  },
  constantInputs: [1],
  gradient: ({ b, inputs: [x], dy: [g] }) => [b.op('Reshape', [g, b.op('Shape', [x])], {}, { shape: x!.shape }), undefined],
});

defineOp({
  opType: 'Unsqueeze',
  infer: ([x, axes], _attrs, constant) => {
    const list = numbersOf(constant(axes!) ?? fail('Unsqueeze'));
    const rank = x!.shape.length + list.length;
    const at = new Set(list.map((a) => normAxis(a, rank)));
    const rest = [...x!.shape];
    return [{ dtype: x!.dtype, shape: Array.from({ length: rank }, (_, i) => (at.has(i) ? 1 : rest.shift()!)) }];
  },
  constantInputs: [1],
  gradient: ({ b, inputs: [x], dy: [g] }) => [b.op('Reshape', [g, b.op('Shape', [x])], {}, { shape: x!.shape }), undefined],
});

defineOp({
  opType: 'Squeeze',
  infer: ([x, axes], _attrs, constant) => {
    const list = numbersOf(constant(axes!) ?? fail('Squeeze')).map((a) => normAxis(a, x!.shape.length));
    return [{ dtype: x!.dtype, shape: x!.shape.filter((_, i) => !list.includes(i)) }];
  },
  constantInputs: [1],
  gradient: ({ b, inputs: [x], dy: [g] }) => [b.op('Reshape', [g, b.op('Shape', [x])], {}, { shape: x!.shape }), undefined],
});

defineOp({
  opType: 'Expand',
  infer: ([x, shape], _attrs, constant) => {
    const data = constant(shape!);
    return [{ dtype: x!.dtype, shape: data ? broadcastShapes(x!.shape, numbersOf(data), 'Expand') : x!.shape }];
  },
  constantInputs: [1],
  gradient: ({ b, inputs: [x], dy: [g] }) => [sumToShape(b, g!, x!.shape), undefined],
});

defineOp({
  opType: 'ArgMax',
  infer: ([x], attrs) => {
    const axis = normAxis(intAttr(attrs, 'axis', 0), x!.shape.length);
    const keep = intAttr(attrs, 'keepdims', 1) === 1;
    const shape = keep ? x!.shape.map((d, i) => (i === axis ? 1 : d)) : x!.shape.filter((_, i) => i !== axis);
    return [{ dtype: DataType.INT64, shape }];
  },
  gradient: null,
});

function fail(op: string): never {
  throw new ShapeError(`${op}: axes must be a constant known when the graph is built`);
}
