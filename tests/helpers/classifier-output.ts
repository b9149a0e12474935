import type { Dataset } from '@onnx-mlp/core';
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** The minimum both onnxruntime-node and onnxruntime-web provide for running a model. */
export interface Runtime {
  readonly InferenceSession: { create(bytes: Uint8Array): Promise<InferenceSession> };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

/** Runs an inference model on the first `rows` rows of `data` and returns its `probabilities` [rows, C]. */
export async function probabilitiesOf(runtime: Runtime, bytes: Uint8Array, data: Dataset, rows = data.rows): Promise<Float32Array> {
  const session = await runtime.InferenceSession.create(bytes);
  try {
    const input = new runtime.Tensor('float32', data.features.slice(0, rows * data.cols), [rows, data.cols]);
    const out = await session.run({ input });
    return Float32Array.from(out.probabilities!.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** Fraction of rows whose most probable class (first on ties) is the target. */
export function accuracyOf(probabilities: Float32Array, targets: Float32Array, classes: number): number {
  const rows = probabilities.length / classes;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    if (best === targets[i]) correct++;
  }
  return correct / rows;
}
