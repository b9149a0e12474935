// Public API of @onnx-mlp/web: load and run onnx-mlp models, and train them, in a web page.
export { loadModel } from './model.js';
export type { LoadModelOptions, Model, Prediction, ArrayPrediction } from './model.js';
export type { ModelVerification } from './model-verification.js';
export type { CardView, ModelCard, CardStatements, CardSplitMetrics, CardDataFile } from '@onnx-mlp/core/artifacts';
export type { ModelSource } from './model-source.js';
export type { ArrayExplanation, ExplainOptions, Explanation } from './model-explain.js';
export type { ModelInfo, LayerInfo, TensorInfo } from './model-info.js';
export type { OrtModule, Backend, WasmPaths, WasmPathsByBackend, RuntimeOptions } from './runtime.js';
export { hasWebGpuAdapter } from './runtime.js';
export { WebModelError, WebTrainError } from './errors.js';
export type { WebModelErrorCode, WebTrainErrorCode } from './errors.js';
export { trainInThisThread } from './train/train-in-thread.js';
export type { TrainOptions, TrainResult, TrainEvents, ArrayData, TrainInThisThreadOptions } from './train/options.js';
export type { EpochRecord } from '@onnx-mlp/core';
export { train } from './train-in-worker.js';
