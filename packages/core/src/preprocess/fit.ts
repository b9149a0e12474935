import { DataError, InvalidArgumentError } from '../errors.js';
import { CategoricalColumn, ColumnSchema, NumericColumn, Preprocessing, SCALINGS, Scaling, validatePreprocessing } from './schema.js';

/** One raw column of training data: numbers (NaN = missing) or category strings (null = missing). */
export type ColumnValues =
  | { readonly name: string; readonly kind: 'numeric' | 'boolean'; readonly values: ArrayLike<number> }
  | { readonly name: string; readonly kind: 'categorical'; readonly values: ArrayLike<string | null> };

/** Choices recorded in the model; the defaults are scikit-learn's StandardScaler + SimpleImputer(mean). */
export interface PreprocessOptions {
  /** @defaultValue 'standard' */
  readonly scaling?: Scaling;
  /** @defaultValue 'mean' */
  readonly numericImpute?: 'mean' | 'median';
  /** @defaultValue 'most_frequent' */
  readonly categoricalMissing?: 'most_frequent' | 'category';
}

/** The label of the dedicated category that missing values get with `categoricalMissing: 'category'`. */
export const MISSING_CATEGORY = '<missing>';

function numeric(name: string, kind: 'numeric' | 'boolean', values: ArrayLike<number>, o: PreprocessOptions): NumericColumn {
  const present = Array.from(values).filter((v) => !Number.isNaN(v));
  if (present.length === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  // float64 sums: the statistics are stored as float32 constants, computed once here.
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  const std = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / present.length);
  const min = present.reduce((a, b) => Math.min(a, b), Infinity);
  const max = present.reduce((a, b) => Math.max(a, b), -Infinity);
  const strategy = o.numericImpute ?? 'mean';
  const impute = strategy === 'median' ? median(present) : mean;
  const scaling = kind === 'boolean' ? 'none' : o.scaling ?? 'standard';
  const [center, spread] = scaling === 'standard' ? [mean, std] : scaling === 'minmax' ? [min, max - min] : [0, 1];
  return { name, kind, impute, imputeStrategy: strategy, scaling, center, scale: spread > 0 ? spread : 1 };
}

function median(sorted: number[]): number {
  const v = [...sorted].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function categorical(name: string, values: ArrayLike<string | null>, o: PreprocessOptions): CategoricalColumn {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  // Sorted, so the same data always gives the same vocabulary whatever the row order.
  const vocabulary = [...counts.keys()].sort();
  const mode = vocabulary.reduce((best, v) => (counts.get(v)! > counts.get(best)! ? v : best));
  if ((o.categoricalMissing ?? 'most_frequent') === 'category' && missing > 0) {
    return { name, kind: 'categorical', vocabulary: [...vocabulary, MISSING_CATEGORY], missing: 'category', missingIndex: vocabulary.length };
  }
  return { name, kind: 'categorical', vocabulary, missing: 'most_frequent', missingIndex: vocabulary.indexOf(mode) };
}

/**
 * Learns the preprocessing from the training split's raw columns: imputation values, scaling
 * statistics (a column with no spread gets scale 1, never a NaN) and category vocabularies.
 */
export function fitPreprocessing(columns: readonly ColumnValues[], options: PreprocessOptions = {}): Preprocessing {
  if (options.scaling && !SCALINGS.includes(options.scaling)) {
    throw new InvalidArgumentError('scaling', options.scaling, `must be one of ${SCALINGS.join(', ')}`);
  }
  const schema: ColumnSchema[] = columns.map((c) =>
    (c.kind === 'categorical' ? categorical(c.name, c.values, options) : numeric(c.name, c.kind, c.values, options)));
  const p = { columns: schema };
  validatePreprocessing(p);
  return p;
}
