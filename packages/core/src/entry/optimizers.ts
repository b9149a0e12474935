// @onnx-mlp/core/optimizers: optimizer configurations and their updates as graph nodes.
import '../ops/index.js'; // updates build graphs
export { optimizerRule } from '../optimizers/index.js';
export { OPTIMIZERS, optimizerConfig, validateOptimizer } from '../optimizers/optimizer.js';
export type { SgdConfig, AdamConfig, OptimizerConfig, OptimizerRule, UpdateInputs } from '../optimizers/optimizer.js';
export { clipByGlobalNorm } from '../optimizers/clip.js';
