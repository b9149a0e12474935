// TODO(core): the same recipe as packages/cli/src/data/table-split.ts (splitRows); it belongs in core
// beside stratifiedSplit so the CLI and the web package share one function, not two copies.
import { DataError, stratifiedSplit, trainTestSplit, type Dataset } from '@onnx-mlp/core';

/** Row numbers (0-based) of the three splits of a training run. */
export interface RowSplit {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly test: readonly number[];
}

/** Largest row count kept exact (row numbers travel as float32). */
const MAX_ROWS = 2 ** 24;

/**
 * Splits rows 0..rows-1 as `onnx-mlp train` does: the test part cut first with
 * `stratifiedSplit(all, rows - testRows, seed)`, then validation out of the rest (`trainTestSplit`
 * in both places for regression), over a dataset whose one feature is the row number.
 */
export function splitRows(rows: number, sizes: { validation: number; test: number }, seed: number, classes?: ArrayLike<number>): RowSplit {
  if (rows >= MAX_ROWS) throw new DataError(`the data has ${rows} rows; the split handles at most ${MAX_ROWS - 1}`);
  const all: Dataset = {
    features: Float32Array.from({ length: rows }, (_, i) => i),
    rows,
    cols: 1,
    targets: classes ? Float32Array.from(classes) : new Float32Array(rows),
  };
  const cut = (data: Dataset, keep: number): [Dataset, Dataset] => (classes ? stratifiedSplit(data, keep, seed) : trainTestSplit(data, keep, seed));
  const none: Dataset = { features: new Float32Array(0), rows: 0, cols: 1, targets: new Float32Array(0) };
  const [rest, test] = sizes.test > 0 ? cut(all, rows - sizes.test) : [all, none];
  const [train, validation] = sizes.validation > 0 ? cut(rest, rest.rows - sizes.validation) : [rest, none];
  const indices = (d: Dataset) => Array.from(d.features);
  return { train: indices(train), validation: indices(validation), test: indices(test) };
}
