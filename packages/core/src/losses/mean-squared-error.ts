import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';

/** Mean over all elements of (prediction - target)^2. */
export function meanSquaredError(b: GraphBuilder, predictions: Value, targets: Value): Value {
  const d = b.op('Sub', [predictions, targets]);
  return b.op('ReduceMean', [b.op('Mul', [d, d])], { keepdims: attr.int(0) });
}
