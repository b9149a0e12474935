import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';

/**
 * Mean binary cross-entropy of targets in [0, 1] given logits, in the stable form
 * max(z, 0) - z y + log(1 + exp(-|z|)), which never overflows exp. Class weights [w0, w1] weigh
 * each row by w0 (1 - y) + w1 y.
 *
 * -|z| is written z - 2 max(z, 0) (the same value, bit for bit): at z = 0, where a ReLU row
 * with a zero bias puts the logit, Abs's and Relu's rules both take the zero subgradient and the
 * loss's gradient came out as -y instead of sigmoid(0) - y = 0.5 - y; this form's rules sum to 0.5.
 */
export function binaryCrossEntropyWithLogits(b: GraphBuilder, logits: Value, targets: Value, classWeights?: readonly number[]): Value {
  const t = logits.dtype;
  const positivePart = b.op('Relu', [logits]);
  const negAbs = b.op('Sub', [logits, b.op('Mul', [positivePart, b.constant(2, t)])]);
  const softplusNegAbs = b.op('Log', [b.op('Add', [b.constant(1, t), b.op('Exp', [negAbs])])]);
  let perElement = b.op('Add', [b.op('Sub', [positivePart, b.op('Mul', [logits, targets])]), softplusNegAbs]);
  if (classWeights) {
    const [w0, w1] = classWeights as [number, number];
    const weight = b.op('Add', [b.constant(w0, t), b.op('Mul', [targets, b.constant(w1 - w0, t)])]);
    perElement = b.op('Mul', [perElement, weight]);
  }
  return b.op('ReduceMean', [perElement], { keepdims: attr.int(0) });
}
