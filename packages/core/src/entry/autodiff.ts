// @onnx-mlp/core/autodiff: reverse-mode differentiation over a GraphBuilder's recorded nodes.
import '../ops/index.js'; // gradient rules live in the op registry
export { addGradients, GradientError } from '../autodiff/gradient.js';
export type { GradientOptions } from '../autodiff/gradient.js';
