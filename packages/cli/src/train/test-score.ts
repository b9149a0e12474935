import * as ort from 'onnxruntime-node';
import { regressionReport, type Dataset } from '@onnx-mlp/core';
import type { InferenceSession } from 'onnxruntime-node';
import { modelAccuracy } from '../evaluate/model-accuracy.js';
import type { RegressionScore, TestScore } from './progress.js';
import type { TrainingData } from './training-data.js';

/** Scores the model file's bytes on the test split: accuracy of its `label`, or MSE/MAE/R² of its `prediction`. */
export async function scoreModel(
  bytes: Uint8Array,
  data: TrainingData,
  sessionOptions: InferenceSession.SessionOptions,
): Promise<TestScore> {
  if (data.task !== 'regression') return modelAccuracy(ort, bytes, data.test, { sessionOptions });
  return regressionScore(bytes, data.test, sessionOptions);
}

async function regressionScore(
  bytes: Uint8Array,
  test: Dataset,
  sessionOptions: InferenceSession.SessionOptions,
): Promise<RegressionScore> {
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  try {
    const width = test.targets.length / test.rows;
    const predictions = new Float32Array(test.targets.length);
    const batch = 1000;
    for (let start = 0; start < test.rows; start += batch) {
      const n = Math.min(batch, test.rows - start);
      const input = new ort.Tensor('float32', test.features.subarray(start * test.cols, (start + n) * test.cols), [n, test.cols]);
      const out = await session.run({ input });
      predictions.set(out.prediction!.data as Float32Array, start * width);
    }
    return { rows: test.rows, ...regressionReport(test.targets, predictions, width), predictions };
  } finally {
    await session.release();
  }
}
