// @onnx-mlp/core/inspect: what an ONNX file holds (`onnx-mlp inspect`'s report, any model) and the
// checks a model.onnx made by onnx-mlp must pass to predict from raw records.
export * from '../inspect/index.js';
