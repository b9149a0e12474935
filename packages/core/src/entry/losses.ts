// @onnx-mlp/core/losses: the loss of each task as graph nodes.
import '../ops/index.js'; // losses build graphs
export { softmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
export { binaryCrossEntropyWithLogits } from '../losses/binary-cross-entropy.js';
export { meanSquaredError } from '../losses/mean-squared-error.js';
export { emitTaskLoss, targetType, lossName } from '../losses/task-loss.js';
export { emitLogitsGradient } from '../losses/logits-gradient.js';
export type { TaskLossInputs } from '../losses/task-loss.js';
