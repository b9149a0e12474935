// @onnx-mlp/core/explain: the ONNX graph that explains an inference model's predictions
// (gradient × input, integrated gradients), built with the core's own gradient machinery.
import '../ops/index.js'; // the explain graph is built, and differentiated, through the op registry
export { buildExplainModel } from '../explain/explain-model.js';
export type { ExplainModel } from '../explain/explain-model.js';
export { ExplainError } from '../explain/explain-error.js';
export { BASELINES } from '../explain/baseline.js';
export type { Baseline } from '../explain/baseline.js';
export { EXPLAIN_METHODS, EXPLAIN_IO, DEFAULT_STEPS } from '../explain/explain-options.js';
export type { ExplainMethod, ExplainOptions, ExplainFacts } from '../explain/explain-options.js';
export { AbsoluteSums, columnImportance, parseImportance } from '../explain/importance.js';
export type { ColumnImportance } from '../explain/importance.js';
