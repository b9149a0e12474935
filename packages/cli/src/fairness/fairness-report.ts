import {
  classificationFairness,
  fairnessExceedances,
  regressionFairness,
  type ClassificationFairness,
  type RegressionFairness,
  type SensitiveValues,
} from '@onnx-mlp/core/metrics';
import { quoted } from '@onnx-mlp/core/tabular';

/** The model metadata key `train` stores the per-group metrics of the test split under (JSON of a FairnessReport). */
export const FAIRNESS_METADATA_KEY = 'onnx_mlp.fairness';

/** Per-group metrics as train and evaluate report them (`--json`, and train's metadata). */
export type FairnessReport = (ClassificationFairness | RegressionFairness) & {
  /** Which rows were grouped: "test split" (train) or the data file (evaluate). */
  readonly data: string;
  /** --fairness-threshold. */
  readonly threshold: number;
  /** One line per disparity above the threshold (classifiers only: a regression's differences are in the target's units). */
  readonly warnings: readonly string[];
};

/** A model's outputs beside the truth: class indices, or regression targets and predictions (`width` a row). */
export type ScoredRows =
  | {
      readonly task: 'classification';
      readonly truth: ArrayLike<number>;
      readonly predicted: ArrayLike<number>;
      readonly classNames: readonly string[];
    }
  | { readonly task: 'regression'; readonly targets: ArrayLike<number>; readonly predictions: ArrayLike<number>; readonly width: number };

/** How the groups are scored: which rows they are and when to warn. */
export interface FairnessOptions {
  readonly data: string;
  readonly threshold: number;
}

function warnings(f: ClassificationFairness, threshold: number): string[] {
  return fairnessExceedances(f, threshold).map(
    (e) =>
      `${e.metric} difference ${e.difference.toFixed(4)} between the groups of ${quoted(f.columns)} (class ${JSON.stringify(e.class)}) exceeds --fairness-threshold ${threshold}`,
  );
}

/** The per-group metrics of `scored` grouped by `sensitive`, with a warning for each disparity above the threshold. */
export function fairnessReport(scored: ScoredRows, sensitive: SensitiveValues, o: FairnessOptions): FairnessReport {
  const context = { data: o.data, threshold: o.threshold };
  if (scored.task === 'regression') return { ...regressionFairness({ ...scored, sensitive }), ...context, warnings: [] };
  const f = classificationFairness({ ...scored, sensitive });
  return { ...f, ...context, warnings: warnings(f, o.threshold) };
}
