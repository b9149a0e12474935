import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';

/**
 * Scales every gradient by min(1, maxNorm / ||g||), where ||g|| is the L2 norm of all gradients
 * together (Keras' global_clipnorm, PyTorch's clip_grad_norm_), so the update keeps its direction.
 */
export function clipByGlobalNorm(b: GraphBuilder, grads: ReadonlyMap<string, Value>, maxNorm: number): Map<string, Value> {
  return b.scoped('clip', () => {
    const squares = [...grads.values()].map((g) => b.op('ReduceSum', [b.op('Mul', [g, g])], { keepdims: attr.int(0) }));
    const norm = b.op('Sqrt', [squares.reduce((acc, s) => b.op('Add', [acc, s]))], {}, { names: ['gradient_norm'] });
    const t = norm.dtype;
    const limit = b.constant(maxNorm, t);
    const scale = b.op('Where', [b.op('Greater', [norm, limit]), b.op('Div', [limit, norm]), b.constant(1, t)]);
    return new Map([...grads].map(([name, g]) => [name, b.op('Mul', [g, scale])]));
  });
}
