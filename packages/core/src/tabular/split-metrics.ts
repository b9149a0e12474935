import type { CardSplitMetrics } from '../artifacts/model-card.js';
import { classificationReport } from '../metrics/classification-report.js';
import { regressionReport } from '../metrics/regression.js';
import type { Task } from '../model/spec.js';
import type { Dataset } from '../training/dataset.js';
import type { InferenceSession, OrtRuntime } from '../training/runtime.js';

/** What a split is scored with: the runtime (injected), the model's task and classes, session options. */
export interface SplitScoring {
  readonly ort: OrtRuntime;
  readonly task: Task;
  readonly classNames: readonly string[] | null;
  /** @defaultValue {} */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}

/** Rows per session run. */
const BATCH = 1000;

/** The model's outputs over every row of `data`: labels and class-1 probabilities, or predictions. */
async function runRows(bytes: Uint8Array, data: Dataset, s: SplitScoring) {
  const { ort } = s;
  const session = await ort.InferenceSession.create(bytes, s.sessionOptions ?? {});
  const classifier = s.task !== 'regression';
  const width = data.rows === 0 ? 0 : data.targets.length / data.rows;
  const labels = new Int32Array(classifier ? data.rows : 0);
  const positive = new Float32Array(classifier ? data.rows : 0);
  const predictions = new Float32Array(classifier ? 0 : data.targets.length);
  try {
    for (let start = 0; start < data.rows; start += BATCH) {
      const n = Math.min(BATCH, data.rows - start);
      const input = new ort.Tensor('float32', data.features.subarray(start * data.cols, (start + n) * data.cols), [n, data.cols]);
      const out = await session.run({ input });
      if (!classifier) {
        predictions.set(out.prediction!.data as Float32Array, start * width);
        continue;
      }
      const label = out.label!.data as BigInt64Array;
      const probabilities = out.probabilities!.data as Float32Array;
      const classes = probabilities.length / n;
      for (let i = 0; i < n; i++) {
        labels[start + i] = Number(label[i]);
        if (classes === 2) positive[start + i] = probabilities[i * 2 + 1]!;
      }
    }
  } finally {
    await session.release();
  }
  return { labels, positive, predictions, width };
}

/**
 * Scores the model file's `bytes` on `data` (rows as that model takes them) with the figures
 * the CLI's evaluate prints: accuracy, per-class precision/recall/F1, averages, confusion matrix and
 * ROC-AUC for two classes; MSE, MAE and R² for regression.
 */
export async function splitMetrics(bytes: Uint8Array, data: Dataset, s: SplitScoring): Promise<CardSplitMetrics> {
  const out = await runRows(bytes, data, s);
  if (s.task === 'regression') return { rows: data.rows, ...regressionReport(data.targets, out.predictions, out.width) };
  const names = s.classNames ?? [];
  const truth = Int32Array.from(data.targets);
  const report = classificationReport(truth, out.labels, names.length, names.length === 2 ? out.positive : undefined);
  return {
    rows: data.rows,
    accuracy: report.accuracy,
    correct: report.confusion.reduce((a, r, c) => a + r[c]!, 0),
    perClass: report.perClass.map((scores, c) => ({ class: names[c]!, ...scores })),
    macro: report.macro,
    weighted: report.weighted,
    confusion: report.confusion,
    ...(names.length === 2
      ? { rocAuc: report.rocAuc === undefined || Number.isNaN(report.rocAuc) ? null : report.rocAuc, positiveClass: names[1]! }
      : {}),
  };
}

/** Rows of each class in `targets` (class indices), in class order. */
export function classCounts(targets: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < targets.length; i++) counts[targets[i]!]!++;
  return counts;
}
