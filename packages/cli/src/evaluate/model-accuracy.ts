import type { Dataset, OrtRuntime } from '@onnx-mlp/core';
import type { InferenceSession } from 'onnxruntime-node';

/** How many rows a classifier got right. */
export interface Accuracy {
  readonly correct: number;
  readonly rows: number;
  readonly accuracy: number;
  /** The model's label for every row, for a confusion matrix. */
  readonly predicted: Int32Array;
}

/** How `modelAccuracy` runs the model. */
export interface ModelAccuracyOptions {
  /** Options of the inference session (execution providers, threads). @defaultValue {} */
  readonly sessionOptions?: InferenceSession.SessionOptions;
  /** Rows per `session.run`. @defaultValue 1000 */
  readonly batchSize?: number;
}

/**
 * Scores an inference model file (its `label` output) on `data`, so the accuracy reported is that
 * of the exact bytes written to disk rather than of the training graph.
 */
export async function modelAccuracy(
  ort: OrtRuntime,
  modelBytes: Uint8Array,
  data: Dataset,
  options: ModelAccuracyOptions = {},
): Promise<Accuracy> {
  const { sessionOptions = {}, batchSize = 1000 } = options;
  const session = await ort.InferenceSession.create(modelBytes, sessionOptions);
  try {
    let correct = 0;
    const predicted = new Int32Array(data.rows);
    for (let start = 0; start < data.rows; start += batchSize) {
      const n = Math.min(batchSize, data.rows - start);
      const input = data.features.subarray(start * data.cols, (start + n) * data.cols);
      const out = await session.run({ input: new ort.Tensor('float32', input, [n, data.cols]) });
      const labels = out.label!.data as BigInt64Array;
      for (let i = 0; i < n; i++) {
        predicted[start + i] = Number(labels[i]);
        if (predicted[start + i] === data.targets[start + i]) correct++;
      }
    }
    return { correct, rows: data.rows, accuracy: correct / data.rows, predicted };
  } finally {
    await session.release();
  }
}
