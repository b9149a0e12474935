import onnxProto from 'onnx-proto';

/** The generated ONNX protobuf classes (onnx-proto ships them as CommonJS). */
export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
