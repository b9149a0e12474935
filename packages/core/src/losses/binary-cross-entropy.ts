import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';

/**
 * Mean binary cross-entropy of targets in [0, 1] given logits, in the stable form
 * max(z, 0) - z y + log(1 + exp(-|z|)), which never overflows exp. Class weights [w0, w1] weigh
 * each row by w0 (1 - y) + w1 y.
 */
export function binaryCrossEntropyWithLogits(b: GraphBuilder, logits: Value, targets: Value, classWeights?: readonly number[]): Value {
  const t = logits.dtype;
  const softplusNegAbs = b.op('Log', [b.op('Add', [b.constant(1, t), b.op('Exp', [b.op('Neg', [b.op('Abs', [logits])])])])]);
  let perElement = b.op('Add', [b.op('Sub', [b.op('Relu', [logits]), b.op('Mul', [logits, targets])]), softplusNegAbs]);
  if (classWeights) {
    const [w0, w1] = classWeights as [number, number];
    const weight = b.op('Add', [b.constant(w0, t), b.op('Mul', [targets, b.constant(w1 - w0, t)])]);
    perElement = b.op('Mul', [perElement, weight]);
  }
  return b.op('ReduceMean', [perElement], { keepdims: attr.int(0) });
}
