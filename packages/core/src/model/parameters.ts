import { DataType } from '../ir/dtype.js';
import type { TensorData } from '../ir/graph.js';
import type { Rng } from './rng.js';
import { type MlpSpec, layerName, layerShapes } from './spec.js';

/** Named float32 tensors in a fixed order: a model's weights, or an optimizer's state. */
export type TensorMap = ReadonlyMap<string, TensorData>;

/** Names and shapes of an MLP's parameters, in layer order (weight [in, out], then bias [out]). */
export function parameterShapes(spec: MlpSpec): Array<[string, number[]]> {
  const shapes = layerShapes(spec);
  return shapes.flatMap(([fanIn, fanOut], i) => {
    const name = layerName(i, shapes.length);
    return [
      [`${name}.weight`, [fanIn, fanOut]],
      [`${name}.bias`, [fanOut]],
    ] as Array<[string, number[]]>;
  });
}

/** Seeded initial parameters: weights from the spec's initialiser, biases zero (as Keras does). */
export function initParameters(spec: MlpSpec, rng: Rng): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [name, dims] of parameterShapes(spec)) {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    if (dims.length === 2) {
      const [fanIn, fanOut] = dims as [number, number];
      const sample = sampler(spec, fanIn, fanOut, rng);
      for (let i = 0; i < data.length; i++) data[i] = sample();
    }
    out.set(name, { dtype: DataType.FLOAT, dims, data });
  }
  return out;
}

function sampler(spec: MlpSpec, fanIn: number, fanOut: number, rng: Rng): () => number {
  switch (spec.init) {
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return () => (rng.uniform() * 2 - 1) * limit;
    }
    case 'glorot_normal': {
      const std = Math.sqrt(2 / (fanIn + fanOut));
      return () => rng.normal() * std;
    }
    case 'he_uniform': {
      const limit = Math.sqrt(6 / fanIn);
      return () => (rng.uniform() * 2 - 1) * limit;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      return () => rng.normal() * std;
    }
  }
}

/** Zero tensors shaped like `params`, one set per optimizer slot (`dense1.weight.m`, ...). */
export function zeroSlots(params: TensorMap, slots: readonly string[]): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const slot of slots) {
    for (const [name, t] of params) {
      out.set(`${name}.${slot}`, { dtype: t.dtype, dims: t.dims, data: new Float32Array(t.data.length) });
    }
  }
  return out;
}
