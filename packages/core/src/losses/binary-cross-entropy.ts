import type { GraphBuilder } from '../ir/builder.js';
import { attr, Value } from '../ir/graph.js';

/**
 * Mean binary cross-entropy of targets in [0, 1] given logits, in the stable form
 * max(z, 0) - z y + log(1 + exp(-|z|)), which never overflows exp.
 */
export function binaryCrossEntropyWithLogits(b: GraphBuilder, logits: Value, targets: Value): Value {
  const t = logits.dtype;
  const softplusNegAbs = b.op('Log', [b.op('Add', [b.constant(1, t), b.op('Exp', [b.op('Neg', [b.op('Abs', [logits])])])])]);
  const perElement = b.op('Add', [b.op('Sub', [b.op('Relu', [logits]), b.op('Mul', [logits, targets])]), softplusNegAbs]);
  return b.op('ReduceMean', [perElement], { keepdims: attr.int(0) });
}
