import { DataError, InvalidArgumentError } from '../errors.js';
import { categoricalColumn, median, numericColumn } from './column-stats.js';
import {
  type CategoricalColumn,
  type ColumnSchema,
  type NumericColumn,
  type Preprocessing,
  SCALINGS,
  type Scaling,
  validatePreprocessing,
} from './schema.js';

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
  /** Categories a column keeps (the most frequent); the rest share one "<other>" slot. @defaultValue DEFAULT_MAX_CATEGORIES (1000) */
  readonly maxCategories?: number;
}

export { MISSING_CATEGORY, OTHER_CATEGORY, DEFAULT_MAX_CATEGORIES } from './column-stats.js';

function numeric(name: string, kind: 'numeric' | 'boolean', values: ArrayLike<number>, o: PreprocessOptions): NumericColumn {
  const present = Array.from(values).filter((v) => !Number.isNaN(v));
  if (present.length === 0) throw new DataError(`column "${name}" has no values at all: drop it or fill it`);
  // float64 sums: the statistics are stored as float32 constants, computed once here.
  const mean = present.reduce((a, b) => a + b, 0) / present.length;
  const std = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / present.length);
  const min = present.reduce((a, b) => Math.min(a, b), Infinity);
  const max = present.reduce((a, b) => Math.max(a, b), -Infinity);
  const med = (o.numericImpute ?? 'mean') === 'median' ? median(present) : undefined;
  return numericColumn(name, kind, { count: present.length, mean, std, min, max, ...(med !== undefined ? { median: med } : {}) }, o);
}

function categorical(name: string, values: ArrayLike<string | null>, o: PreprocessOptions): CategoricalColumn {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return categoricalColumn(name, { counts, distinct: counts.size, exact: true }, missing, o);
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
    c.kind === 'categorical' ? categorical(c.name, c.values, options) : numeric(c.name, c.kind, c.values, options),
  );
  const p = { columns: schema };
  validatePreprocessing(p);
  return p;
}
