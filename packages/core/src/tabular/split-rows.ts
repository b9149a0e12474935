import type { Dataset } from '../training/dataset.js';
import { DataError } from '../errors.js';
import { stratifiedSplit, trainTestSplit } from '../training/split.js';

/** Row numbers (0-based, into one table) of the three splits of a training run. */
export interface RowSplit {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/** Largest row count the index trick below keeps exact (row numbers travel as float32). */
const MAX_ROWS = 2 ** 24;

/** The sizes of the held-out parts of a split, its seed, and for a stratified split every row's class. */
export interface SplitParts {
  readonly validationRows: number;
  readonly testRows: number;
  readonly seed: number;
  /** The class index of every row: the split is then stratified. */
  readonly classes?: ArrayLike<number>;
}

/**
 * Splits rows 0..rows-1 into train, validation and test parts of exactly `validationRows` and
 * `testRows` rows (the rest train), seeded. With `classes` (the class index of every row) the split
 * is stratified: every class keeps its share in each part. The recipe: the test part is cut first,
 * `stratifiedSplit(all, rows - testRows, seed)`, then the validation part out of the rest,
 * `stratifiedSplit(rest, rest.rows - validationRows, seed)` (`trainTestSplit` in both places for
 * regression), each over a dataset whose one feature is the row number.
 */
export function splitRows(rows: number, parts: SplitParts): RowSplit {
  const { validationRows, testRows, seed, classes } = parts;
  if (rows >= MAX_ROWS) throw new DataError(`the data has ${rows} rows; the split handles at most ${MAX_ROWS - 1}`);
  const all: Dataset = {
    features: Float32Array.from({ length: rows }, (_, i) => i),
    rows,
    cols: 1,
    targets: classes ? Float32Array.from(classes) : new Float32Array(rows),
  };
  const cut = (data: Dataset, keep: number): [Dataset, Dataset] =>
    classes ? stratifiedSplit(data, keep, seed) : trainTestSplit(data, keep, seed);
  const none: Dataset = { features: new Float32Array(0), rows: 0, cols: 1, targets: new Float32Array(0) };
  const [rest, test] = testRows > 0 ? cut(all, rows - testRows) : [all, none];
  const [train, validation] = validationRows > 0 ? cut(rest, rest.rows - validationRows) : [rest, none];
  const indices = (d: Dataset) => Array.from(d.features);
  return { train: indices(train), validation: indices(validation), test: indices(test) };
}
