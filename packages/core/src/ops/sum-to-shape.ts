import { DataType } from '../ir/dtype.js';
import type { Shape, Value } from '../ir/graph.js';
import type { GraphBuilder } from '../ir/builder.js';

/**
 * Reduces a broadcast gradient back to the shape of the input it flowed from: leading axes the
 * input lacked are summed away, axes where the input had size 1 are summed with keepdims. A helper
 * of the gradient rules of broadcasting ops (Add, Mul, Where, Gemm's C, Expand).
 */
export function sumToShape(b: GraphBuilder, grad: Value, target: Shape): Value {
  const extra = grad.shape.length - target.length;
  let g = grad;
  if (extra > 0) {
    const axes = Array.from({ length: extra }, (_, i) => i);
    g = b.op('ReduceSum', [g, b.constant(axes, DataType.INT64)], { keepdims: { kind: 'int', value: 0 } });
  }
  const kept = target.map((d, i) => (d === 1 && g.shape[i] !== 1 ? i : -1)).filter((i) => i >= 0);
  if (kept.length > 0) {
    g = b.op('ReduceSum', [g, b.constant(kept, DataType.INT64)], { keepdims: { kind: 'int', value: 1 } });
  }
  return g;
}
