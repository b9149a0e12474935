import type { Tensor } from 'onnxruntime-common';
import type { MlpSpec } from '../model/spec.js';
import type { Rng } from '../model/rng.js';
import { type Dataset, targetWidth } from './dataset.js';
import type { OrtRuntime } from './runtime.js';

/** Only the targets of the rows listed in `rows` (what accuracy needs). */
export function gatherTargets(data: Dataset, rows: Int32Array, width: number): Float32Array {
  const targets = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) targets.set(data.targets.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
  return targets;
}

/** Targets as the train graph wants them: int64 [n] class indices, or float32 [n, width]. */
export function targetTensor(ort: OrtRuntime, spec: MlpSpec, targets: Float32Array): Tensor {
  const width = targetWidth(spec);
  const n = targets.length / width;
  if (spec.task === 'multiclass')
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(targets, (y) => BigInt(y)),
      [n],
    );
  return new ort.Tensor('float32', targets, [n, width]);
}

/**
 * Uniform [0, 1) dropout noise for `steps` consecutive batches of `batch` rows, one array per
 * layer, drawn step by step and layer by layer: the same stream whether the steps run one by one
 * or inside the epoch Loop, so both give the same masks.
 */
export function drawNoise(rng: Rng, layers: readonly { width: number }[], steps: number, batch: number): Float32Array[] {
  const arrays = layers.map(({ width }) => new Float32Array(steps * batch * width));
  for (let s = 0; s < steps; s++) {
    layers.forEach(({ width }, l) => {
      const a = arrays[l]!;
      for (let i = s * batch * width; i < (s + 1) * batch * width; i++) a[i] = rng.uniform();
    });
  }
  return arrays;
}

/** 0, 1, ..., n-1 shifted by `start`. */
export function range(n: number, start = 0): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = start + i;
  return a;
}
