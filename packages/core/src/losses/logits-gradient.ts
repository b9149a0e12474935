import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';
import type { MlpSpec } from '../model/spec.js';
import { oneHot } from '../ops/gather.js';
import type { TaskLossInputs } from './task-loss.js';

/**
 * d loss / d logits of the task's loss in closed form, the gradient ORT's training build gets from
 * its fused SoftmaxCrossEntropyLossGrad: (softmax - one-hot) / N for softmax cross-entropy,
 * (sigmoid - y) / N for binary cross-entropy (each row times its class weight), 2 (z - y) / (N C)
 * for mean squared error. A handful of ops where differentiating the loss's own nodes (LogSoftmax,
 * the reductions, their Expand/Shape/Size bookkeeping) emits about fifteen.
 */
export function emitLogitsGradient(b: GraphBuilder, spec: MlpSpec, inputs: TaskLossInputs): Value {
  const { logits, target, classWeights } = inputs;
  const t = logits.dtype;
  // The loss is a mean: over the rows (labels) for softmax cross-entropy, over every element otherwise.
  const count = (v: Value) => b.op('Cast', [b.op('Size', [v])], { to: attr.int(t) });
  return b.scoped('loss_grad', () => {
    switch (spec.task) {
      case 'multiclass': {
        const classes = logits.shape[1] as number;
        const softmax = b.op('Softmax', [logits], { axis: attr.int(-1) });
        const error = b.op('Sub', [softmax, oneHot(b, target, classes, t)]);
        if (!classWeights) return b.op('Div', [error, count(target)]);
        const rowWeights = b.op('Gather', [b.constant(classWeights, t), target], { axis: attr.int(0) });
        const scale = b.op('Div', [rowWeights, count(target)]);
        return b.op('Mul', [error, b.op('Unsqueeze', [scale, b.constant([1], DataType.INT64)])]);
      }
      case 'binary': {
        const error = b.op('Sub', [b.op('Sigmoid', [logits]), target]);
        if (!classWeights) return b.op('Div', [error, count(logits)]);
        const [w0, w1] = classWeights as [number, number];
        const weight = b.op('Add', [b.constant(w0, t), b.op('Mul', [target, b.constant(w1 - w0, t)])]);
        return b.op('Mul', [error, b.op('Div', [weight, count(logits)])]);
      }
      case 'regression':
        return b.op('Mul', [b.op('Sub', [logits, target]), b.op('Div', [b.constant(2, t), count(logits)])]);
    }
  });
}
