// What an ONNX file made by onnx-mlp holds: `inspect`'s report and the checks a model.onnx must pass to predict from records.
export { describeModel, dtypeName } from './report.js';
export type { InspectReport, TensorInfo } from './report.js';
export { describeOnnxMlp, layersOf, ONNX_MLP_KINDS } from './onnx-mlp-facts.js';
export type { OnnxMlpKind, OnnxMlpFacts, LayerInfo, ParameterCheck, CheckpointInfo } from './onnx-mlp-facts.js';
export { readInferenceMetadata, whatModelIs, describeValues, NotInferenceModelError } from './inference-metadata.js';
export type { InferenceMetadata } from './inference-metadata.js';
export { summarizePreprocessing, columnTreatment, shortNumber } from '../preprocess/summary.js';
export type { ColumnSummary } from '../preprocess/summary.js';
