import type { DataType } from '../ir/dtype.js';
import type { Attributes, Dim, Shape, TensorData, Value } from '../ir/graph.js';
import type { OutputType } from './registry.js';
import { OnnxMlpError } from '../errors.js';

/** Thrown when an op is applied to inputs whose types or shapes it cannot take. */
export class ShapeError extends OnnxMlpError {
  constructor(message: string) {
    super(message, { code: 'SHAPE', userError: false });
    this.name = 'ShapeError';
  }
}

/** Output typed like input `i`: element-wise unary ops. */
export const sameAs =
  (i = 0) =>
  (inputs: readonly Value[]): OutputType[] => [{ dtype: inputs[i]!.dtype, shape: inputs[i]!.shape }];

/** Numpy-style broadcast of two shapes; a symbolic dim matches anything but a conflicting number. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else if (typeof da === 'string') out.push(db);
    else if (typeof db === 'string') out.push(da);
    else throw new ShapeError(`${op}: shapes [${a}] and [${b}] do not broadcast`);
  }
  return out;
}

/** Output of a broadcasting binary op; `dtype` overrides (comparisons give BOOL). */
export const broadcast =
  (op: string, dtype?: DataType) =>
  (inputs: readonly Value[]): OutputType[] => [
    { dtype: dtype ?? inputs[0]!.dtype, shape: broadcastShapes(inputs[0]!.shape, inputs[1]!.shape, op) },
  ];

/** An integer attribute, or its default. */
export function intAttr(attrs: Attributes, name: string, fallback: number): number {
  const a = attrs[name];
  return a && a.kind === 'int' ? a.value : fallback;
}

/** A float attribute, or its default. */
export function floatAttr(attrs: Attributes, name: string, fallback: number): number {
  const a = attrs[name];
  return a && a.kind === 'float' ? a.value : fallback;
}

/** An ints attribute, or undefined. */
export function intsAttr(attrs: Attributes, name: string): readonly number[] | undefined {
  const a = attrs[name];
  return a && a.kind === 'ints' ? a.value : undefined;
}

/** The elements of a constant tensor as plain numbers. */
export function numbersOf(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** The shape left after reducing `axes` (all axes when empty) with or without keepdims. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Shape {
  const set = new Set((axes.length ? axes : shape.map((_, i) => i)).map((a) => normAxis(a, shape.length)));
  return keepdims ? shape.map((d, i) => (set.has(i) ? 1 : d)) : shape.filter((_, i) => !set.has(i));
}
