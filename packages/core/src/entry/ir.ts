// @onnx-mlp/core/ir: the graph IR. Tensors and graphs as plain data, the GraphBuilder that records
// typed nodes, the ONNX encoder/decoder and the printer. Lowest layer: imports no other.
import '../ops/index.js'; // a GraphBuilder types its nodes through the op registry, so the ops must be loaded
export * from '../ir/dtype.js';
export * from '../ir/graph.js';
export { GraphBuilder } from '../ir/builder.js';
export type { OpOptions, MultiOutputOptions, GraphBuilderOptions } from '../ir/builder.js';
export type { OpTable, OpTyping } from '../ir/op-table.js';
export { encodeModel, encodeGraph, encodeTensor } from '../ir/encode.js';
export { decodeModel, decodeGraph, decodeTensor, ModelDecodeError } from '../ir/decode.js';
export type { DecodeOptions } from '../ir/decode.js';
export { makeModel, PRODUCER_NAME, PRODUCER_VERSION } from '../ir/model.js';
export type { ModelOptions } from '../ir/model.js';
export { printGraph } from '../ir/print.js';
