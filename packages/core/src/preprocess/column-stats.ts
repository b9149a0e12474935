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

/** A categorical column's schema from its category counts and missing count: sorted vocabulary, mode or a missing category. */
export function categoricalColumn(
  name: string,
  counts: ReadonlyMap<string, number>,
  missing: number,
  o: PreprocessOptions,
): CategoricalColumn {
  if (counts.size === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  // Sorted, so the same data always gives the same vocabulary whatever the row order.
  const vocabulary = [...counts.keys()].sort();
  const mode = vocabulary.reduce((best, v) => (counts.get(v)! > counts.get(best)! ? v : best));
  if ((o.categoricalMissing ?? 'most_frequent') === 'category' && missing > 0) {
    return {
      name,
      kind: 'categorical',
      vocabulary: [...vocabulary, MISSING_CATEGORY],
      missing: 'category',
      missingIndex: vocabulary.length,
    };
  }
  return { name, kind: 'categorical', vocabulary, missing: 'most_frequent', missingIndex: vocabulary.indexOf(mode) };
}

/** The median of `values` (not changed: a sorted copy is taken). */
export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
