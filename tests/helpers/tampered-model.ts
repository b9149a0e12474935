import type { Model } from '@onnx-mlp/core';

/** `model` with one initializer byte flipped (the first byte of dense1.weight's data): what verify must catch. */
export function withWeightByteFlipped(model: Model): Model {
  const initializers = new Map(model.graph.initializers);
  const weight = initializers.get('dense1.weight')!;
  const data = new Float32Array(weight.data as Float32Array);
  new Uint8Array(data.buffer)[0]! ^= 0x01;
  initializers.set('dense1.weight', { ...weight, data });
  return { ...model, graph: { ...model.graph, initializers } };
}
