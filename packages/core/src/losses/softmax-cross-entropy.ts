import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';
import { oneHot } from '../ops/gather.js';

/**
 * Mean softmax cross-entropy of integer labels [N] given logits [N, C], through LogSoftmax so it
 * never takes the log of an underflowed probability. With class weights, row i counts w[label_i]
 * times and the sum is still divided by N (Keras' class_weight).
 */
export function softmaxCrossEntropy(b: GraphBuilder, logits: Value, labels: Value, classWeights?: readonly number[]): Value {
  const classes = logits.shape[1];
  if (typeof classes !== 'number') throw new Error('softmaxCrossEntropy: the class count must be static');
  const logp = b.op('LogSoftmax', [logits], { axis: attr.int(-1) });
  let picked = b.op('ReduceSum', [b.op('Mul', [logp, oneHot(b, labels, classes, logits.dtype)]), b.constant([1], DataType.INT64)], {
    keepdims: attr.int(0),
  });
  if (classWeights) {
    const weights = b.op('Gather', [b.constant(classWeights, logits.dtype), labels], { axis: attr.int(0) });
    picked = b.op('Mul', [picked, weights]);
  }
  return b.op('Neg', [b.op('ReduceMean', [picked], { keepdims: attr.int(0) })]);
}
