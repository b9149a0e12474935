import type { Scaling, Task } from '@onnx-mlp/core';

/** The tasks `--task` takes; `auto` lets the label column decide. */
export const TASK_CHOICES = ['auto', 'multiclass', 'binary', 'regression'] as const;
/** The imputations `--impute` takes for missing numbers. */
export const IMPUTE_CHOICES = ['mean', 'median'] as const;

/** Where a tabular run's data comes from and how it becomes features: what config.json records. */
export interface TabularOptions {
  /** The data file (CSV, TSV, JSON, JSON Lines). */
  readonly file: string;
  /** The label column (regression: several, comma-separated, when no column has this exact name). */
  readonly label: string | null;
  readonly task: Task | 'auto';
  /** The feature columns, in this order; null: every column but the label and `exclude`, in file order. */
  readonly features: readonly string[] | null;
  readonly exclude: readonly string[];
  /** Columns that look numeric but are categories (codes). */
  readonly categorical: readonly string[];
  readonly scaling: Scaling;
  readonly impute: 'mean' | 'median';
  /** Missing categories get a dedicated category rather than the most frequent one. */
  readonly missingCategory: boolean;
  /** Fraction of the rows held out for the test split (null with `test`). */
  readonly testSplit: number | null;
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
