import type { TabularSettings } from '@onnx-mlp/core/tabular';

/** The tasks `--task` takes; `auto` lets the label column decide. */
export const TASK_CHOICES = ['auto', 'multiclass', 'binary', 'regression'] as const;
/** The imputations `--impute` takes for missing numbers. */
export const IMPUTE_CHOICES = ['mean', 'median'] as const;

/**
 * Where a tabular run's data comes from and how it becomes features: what config.json records. The
 * settings are core's TabularSettings (shared with the web package); the files are the CLI's own.
 */
export interface TabularOptions extends Omit<TabularSettings, 'label'> {
  /** The data file (CSV, TSV, JSON, JSON Lines). */
  readonly file: string;
  /** The label column (regression: several, comma-separated, when no column has this exact name); null until --label is given. */
  readonly label: string | null;
  /** A separate validation file, or null to split one off. */
  readonly val: string | null;
  /** A separate test file, or null to split one off. */
  readonly test: string | null;
  /**
   * A file holding only the labels, one per row of `file` (IDX or NPY arrays, such as MNIST's
   * `*-labels-idx1-ubyte`), joined to it as the label column; null when `file` has its labels.
   */
  readonly labels?: string | null;
  /** --stream: the file is read in passes, never whole (absent without --stream). */
  readonly stream?: { readonly shuffleBuffer: number };
}
