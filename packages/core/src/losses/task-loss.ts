import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Shape, Value } from '../ir/graph.js';
import type { MlpSpec } from '../model/spec.js';
import { binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';
import { meanSquaredError } from './mean-squared-error.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** The `target` input each task trains on: int64 class indices, or float targets. */
export function targetType(spec: MlpSpec): { dtype: DataType; shape: Shape } {
  switch (spec.task) {
    case 'multiclass':
      return { dtype: DataType.INT64, shape: ['batch'] };
    case 'binary':
      return { dtype: DataType.FLOAT, shape: ['batch', 1] };
    case 'regression':
      return { dtype: DataType.FLOAT, shape: ['batch', spec.outputs] };
  }
}

/** The name of the loss each task trains with. */
export function lossName(spec: MlpSpec): string {
  return { multiclass: 'softmax_cross_entropy', binary: 'binary_cross_entropy', regression: 'mean_squared_error' }[spec.task];
}

/** What a task's loss compares, and how it weighs the classes. */
export interface TaskLossInputs {
  readonly logits: Value;
  /** The `target` input, of the type `targetType` gives. */
  readonly target: Value;
  /** One weight per class (classification only); unweighted when absent. */
  readonly classWeights?: readonly number[] | undefined;
}

/** Emits the task's loss: softmax cross-entropy, binary cross-entropy with logits, or MSE. */
export function emitTaskLoss(b: GraphBuilder, spec: MlpSpec, inputs: TaskLossInputs): Value {
  const { logits, target, classWeights } = inputs;
  return b.scoped('loss', () => {
    switch (spec.task) {
      case 'multiclass':
        return softmaxCrossEntropy(b, logits, target, classWeights);
      case 'binary':
        return binaryCrossEntropyWithLogits(b, logits, target, classWeights);
      case 'regression':
        return meanSquaredError(b, logits, target);
    }
  });
}
