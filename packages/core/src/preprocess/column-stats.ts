import { DataError } from '../errors.js';
import type { PreprocessOptions } from './fit.js';
import type { CategoricalColumn, NumericColumn } from './schema.js';

/** The label of the dedicated category that missing values get with `categoricalMissing: 'category'`. */
export const MISSING_CATEGORY = '<missing>';

/** What a numeric column's schema is built from, however it was computed (whole column or streamed). */
export interface NumericSummary {
  /** Present (non-missing) values. */
  readonly count: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** The median of the present values, when known (only needed for `numericImpute: 'median'`). */
  readonly median?: number;
}

/** A numeric or boolean column's schema from its summary: the conventions of `fitPreprocessing`. */
export function numericColumn(name: string, kind: 'numeric' | 'boolean', s: NumericSummary, o: PreprocessOptions): NumericColumn {
  if (s.count === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  const strategy = o.numericImpute ?? 'mean';
  if (strategy === 'median' && s.median === undefined)
    throw new DataError(`column "${name}": the median is not known (it needs every value)`);
  const impute = strategy === 'median' ? s.median! : s.mean;
  const scaling = kind === 'boolean' ? 'none' : (o.scaling ?? 'standard');
  const [center, spread] = scaling === 'standard' ? [s.mean, s.std] : scaling === 'minmax' ? [s.min, s.max - s.min] : [0, 1];
  return { name, kind, impute, imputeStrategy: strategy, scaling, center, scale: spread > 0 ? spread : 1 };
}

/** The label of the slot that values beyond a capped vocabulary share (and unseen values, in such a column). */
export const OTHER_CATEGORY = '<other>';

/** Categories a categorical column keeps by default: enough for real codes, a bounded model for a column of many values. */
export const DEFAULT_MAX_CATEGORIES = 1000;

/** A categorical column's counted values: exact counts of every value, or of the most frequent ones past a bound. */
export interface CategoryTally {
  readonly counts: ReadonlyMap<string, number>;
  /** Distinct values (estimated when not `exact`). */
  readonly distinct: number;
  /** Whether `counts` holds every value with its exact count. */
  readonly exact: boolean;
}

/** The `keep` most frequent values of `counts` (ties by value, so the same data gives the same vocabulary). */
function mostFrequent(counts: ReadonlyMap<string, number>, keep: number): string[] {
  return [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, keep)
    .map(([v]) => v);
}

/**
 * A categorical column's schema from its counted values and missing count: the sorted vocabulary
 * (capped at `maxCategories`: the most frequent values, then one OTHER_CATEGORY slot that the rest
 * share), and the mode or a missing category.
 */
export function categoricalColumn(name: string, tally: CategoryTally, missing: number, o: PreprocessOptions): CategoricalColumn {
  const { counts } = tally;
  if (counts.size === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  const max = o.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const capped = !tally.exact || counts.size > max;
  // Sorted, so the same data always gives the same vocabulary whatever the row order.
  const vocabulary = (capped ? mostFrequent(counts, max - 1) : [...counts.keys()]).sort();
  const mode = vocabulary.reduce((best, v) => (counts.get(v)! > counts.get(best)! ? v : best));
  const other = capped
    ? { vocabulary: [...vocabulary, OTHER_CATEGORY], otherIndex: vocabulary.length, otherCategories: tally.distinct - vocabulary.length }
    : { vocabulary };
  if ((o.categoricalMissing ?? 'most_frequent') === 'category' && missing > 0) {
    const at = other.vocabulary.length;
    return {
      name,
      kind: 'categorical',
      ...other,
      vocabulary: [...other.vocabulary, MISSING_CATEGORY],
      missing: 'category',
      missingIndex: at,
    };
  }
  return { name, kind: 'categorical', ...other, missing: 'most_frequent', missingIndex: vocabulary.indexOf(mode) };
}

/** The median of `values` (not changed: a sorted copy is taken). */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
