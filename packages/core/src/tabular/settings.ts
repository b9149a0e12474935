import type { Scaling } from '../preprocess/schema.js';
import type { Task } from '../model/spec.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * How a table becomes training data: what to predict, from which columns, and how the features are
 * prepared. The same keys as the CLI's config.json `dataset` and the web package's train options.
 */
export interface TabularSettings {
  /** The label column (regression: several, comma-separated, when no column has this exact name). */
  readonly label: string;
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
  /** Fraction of the rows held out for the test split (null when a separate test table stands in). */
  readonly testSplit: number | null;
  /** Rows whose label is missing are left out (and counted) rather than refused. @defaultValue false */
  readonly dropMissingLabel?: boolean;
  /** A numeric cell that is infinite or beyond float32: refused (`error`) or taken as missing (`missing`). @defaultValue 'error' */
  readonly nonfinite?: NonfiniteHandling;
  /**
   * Categories a categorical column keeps, the most frequent first; the rest share one "other"
   * slot (as an unseen value does). @defaultValue DEFAULT_MAX_CATEGORIES
   */
  readonly maxCategories?: number;
}

export { DEFAULT_MAX_CATEGORIES } from '../preprocess/column-stats.js';

/** What becomes of a numeric cell that is infinite or beyond float32 (`Infinity`, `-1e39`). */
export const NONFINITE_CHOICES = ['error', 'missing'] as const;
/** One of NONFINITE_CHOICES. */
export type NonfiniteHandling = (typeof NONFINITE_CHOICES)[number];

/** The columns of a run: what to predict and what from, in input order. */
export interface TabularColumns {
  readonly labels: readonly string[];
  readonly features: readonly string[];
}

/**
 * How a front end names its own options in advice that core's messages give (core names no flag):
 * the CLI words them as its flags, the web package as its option keys (`exclude: ["id"]`).
 */
export interface TabularHints {
  /** The option that leaves `column` out of the features. */
  exclude(column: string): string;
  /** The option that declares `column` categorical. */
  categorical(column: string): string;
  /** Appended to "several label columns (...) are regression targets" (may be empty). */
  readonly regressionTask: string;
  /** The option that sets the task to `task`. */
  task(task: string): string;
  /** The option that sets how many categories a column keeps. */
  readonly maxCategories: string;
}

/**
 * A tabular setting whose value does not fit the data (a column that does not exist, a split that
 * leaves no rows). `field` is the setting's key (`label`, `testSplit`, `classWeights` …), for a front
 * end to word as its own option.
 */
export class TabularOptionError extends InvalidArgumentError {
  constructor(field: string, value: unknown, reason: string) {
    super(field, value, reason);
    this.name = 'TabularOptionError';
  }
}
