import type { ColumnSchema, Preprocessing } from '../preprocess/schema.js';
import { ExplainError } from './explain-error.js';

/** The baselines an explanation starts its path from. */
export const BASELINES = ['mean', 'zero'] as const;
/** `mean`: each column's training mean (a category: its most frequent value); `zero`: zeros (a category: none). */
export type Baseline = (typeof BASELINES)[number];

/** The raw index that one-hot encodes to all zeros: no category at all. */
const NO_CATEGORY = -1;

/**
 * A numeric column's training mean as its preprocessing records it: the centre of standard
 * scaling, else the mean it imputes, else (median imputation with other scaling) the median, the
 * only central value stored.
 */
function columnMean(c: ColumnSchema): number {
  if (c.kind === 'categorical') return c.missing === 'most_frequent' ? c.missingIndex : NO_CATEGORY;
  if (c.scaling === 'standard') return c.center;
  return c.impute;
}

/**
 * The baseline as a raw row, one value per input column. `zero` is 0 for a numeric column and no
 * category (all one-hot features 0) for a categorical one; `mean` needs the preprocessing the
 * model records: a categorical column whose missing values have their own category records no
 * most frequent value, so it gets no category.
 */
export function baselineRow(kind: Baseline, columns: number, preprocessing?: Preprocessing): number[] {
  if (kind === 'zero') {
    return preprocessing ? preprocessing.columns.map((c) => (c.kind === 'categorical' ? NO_CATEGORY : 0)) : new Array(columns).fill(0);
  }
  if (!preprocessing) {
    throw new ExplainError('baseline mean needs the training means a model records in its preprocessing; this model has none (use zero)', {
      baseline: kind,
    });
  }
  return preprocessing.columns.map(columnMean);
}

/** The default baseline: the training means when the model records them, else zeros. */
export function defaultBaseline(preprocessing?: Preprocessing): Baseline {
  return preprocessing ? 'mean' : 'zero';
}
