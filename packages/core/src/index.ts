// Public API of @onnx-mlp/core.
export * from './ir/dtype.js';
export * from './ir/graph.js';
export { GraphBuilder } from './ir/builder.js';
export type { OpOptions } from './ir/builder.js';
export { encodeModel, encodeGraph, encodeTensor } from './ir/encode.js';
export { decodeModel, decodeGraph, decodeTensor, ModelDecodeError } from './ir/decode.js';
export * from './ops/index.js';
export { ShapeError } from './ops/shape-rules.js';
export { addGradients, GradientError } from './autodiff/gradient.js';
export { makeModel, PRODUCER_NAME, PRODUCER_VERSION } from './ir/model.js';
export type { ModelOptions } from './ir/model.js';
