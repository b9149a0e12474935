// @onnx-mlp/core/model: the MLP itself. Its spec and validation, the seeded generator, initial
// parameters and the forward pass as graph nodes.
import '../ops/index.js'; // the forward pass builds graphs
export * from '../model/spec.js';
export { Rng } from '../model/rng.js';
export type { RngState } from '../model/rng.js';
export { initParameters, parameterShapes, zeroSlots } from '../model/parameters.js';
export type { TensorMap } from '../model/parameters.js';
export { emitLogits, emitPredictions } from '../model/forward.js';
export type { ForwardInputs, ForwardOptions } from '../model/forward.js';
export type { WeightLayout } from '../model/weight-layout.js';
export { parameterCount, trainingBytes, checkModelSize, ModelTooLargeError, MAX_MODEL_BYTES } from '../model/footprint.js';
