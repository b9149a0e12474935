import { DataType } from '../ir/dtype.js';
import type { TensorData } from '../ir/graph.js';
import { parameterShapes, type TensorMap } from './parameters.js';
import type { MlpSpec } from './spec.js';

/** Where one parameter lives inside the flat parameter vector. */
export interface ParameterSlot {
  readonly name: string;
  readonly dims: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/**
 * The order and offsets of every parameter in one flat float32 vector. Training graphs take
 * parameters and optimizer state flat, so an update is a few large element-wise ops.
 */
export interface ParameterLayout {
  readonly slots: readonly ParameterSlot[];
  readonly total: number;
}

/** The flat layout of an MLP's parameters, in layer order. */
export function parameterLayout(spec: MlpSpec): ParameterLayout {
  let offset = 0;
  const slots = parameterShapes(spec).map(([name, dims]) => {
    const size = dims.reduce((a, b) => a * b, 1);
    const slot = { name, dims, offset, size };
    offset += size;
    return slot;
  });
  return { slots, total: offset };
}

/** Copies named tensors (with `suffix` after each name, such as `.m`) into one flat vector. */
export function packTensors(layout: ParameterLayout, tensors: TensorMap, suffix = ''): Float32Array {
  const flat = new Float32Array(layout.total);
  for (const s of layout.slots) {
    const t = tensors.get(s.name + suffix);
    if (!t || t.data.length !== s.size) throw new Error(`expected tensor ${s.name + suffix} of shape [${s.dims}]`);
    flat.set(t.data as Float32Array, s.offset);
  }
  return flat;
}

/** Splits a flat vector back into named tensors (`suffix` appended to each name). */
export function unpackTensors(layout: ParameterLayout, flat: Float32Array, suffix = ''): Map<string, TensorData> {
  return new Map(
    layout.slots.map((s) => [
      s.name + suffix,
      {
        dtype: DataType.FLOAT,
        dims: s.dims,
        data: flat.slice(s.offset, s.offset + s.size),
      },
    ]),
  );
}
