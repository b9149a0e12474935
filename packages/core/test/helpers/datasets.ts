import type { Dataset } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';

/** Three well-separated 2-D class centres: what the classifier tests train on. */
export const THREE_BLOBS: ReadonlyArray<readonly [number, number]> = [
  [0, 3],
  [-2.6, -1.5],
  [2.6, -1.5],
];

/**
 * `perClass` points around each of `centers` (2-D Gaussian blobs, standard deviation `spread`),
 * rows interleaved by class, label = the center's index. Seeded.
 */
export function blobs(centers: ReadonlyArray<readonly [number, number]>, perClass: number, spread: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const rows = centers.length * perClass;
  const features = new Float32Array(rows * 2);
  const targets = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % centers.length;
    features[2 * i] = centers[c]![0] + spread * rng.normal();
    features[2 * i + 1] = centers[c]![1] + spread * rng.normal();
    targets[i] = c;
  }
  return { features, rows, cols: 2, targets };
}

/** y = x A + b + noise for x ~ N(0, 1)^inputs, A and b fixed (seeded), `outputs` targets per row. */
export function linearRegression(rows: number, inputs: number, outputs: number, noise: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const a = Array.from({ length: inputs * outputs }, () => rng.normal());
  const bias = Array.from({ length: outputs }, () => rng.normal());
  const features = new Float32Array(rows * inputs);
  const targets = new Float32Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inputs; i++) features[r * inputs + i] = rng.normal();
    for (let o = 0; o < outputs; o++) {
      let y = bias[o]! + noise * rng.normal();
      for (let i = 0; i < inputs; i++) y += features[r * inputs + i]! * a[i * outputs + o]!;
      targets[r * outputs + o] = y;
    }
  }
  return { features, rows, cols: inputs, targets };
}

/** A copy of `data` with every feature multiplied by `factor`. */
export function scaled(data: Dataset, factor: number): Dataset {
  return { ...data, features: data.features.map((v) => v * factor) };
}
