import { DataError } from '../errors.js';
import type { MlpSpec } from '../model/spec.js';

/**
 * Rows of features with their targets, row-major. Targets are class indices for multiclass,
 * 0/1 for binary, and `spec.outputs` values per row for regression.
 */
export interface Dataset {
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly targets: Float32Array;
}

/** Builds a Dataset from row arrays, checking they are rectangular. */
export function datasetFromRows(rows: readonly (readonly number[])[], targets: readonly number[]): Dataset {
  const cols = rows[0]?.length ?? 0;
  const features = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new DataError(`row ${i + 1} has ${r.length} features, row 1 has ${cols}`);
    features.set(r, i * cols);
  });
  return { features, rows: rows.length, cols, targets: Float32Array.from(targets) };
}

/** Number of target values per row the spec's task expects. */
export function targetWidth(spec: MlpSpec): number {
  return spec.task === 'regression' ? spec.outputs : 1;
}

/**
 * Throws DataError naming `what` (a file or "training data") and the first problem: width that does
 * not match the model, a label outside the class range, a non-finite value.
 */
export function checkDataset(spec: MlpSpec, data: Dataset, what: string): void {
  if (data.rows === 0) throw new DataError(`${what} has no rows`);
  if (data.cols !== spec.inputs) {
    throw new DataError(`${what} has ${data.cols} feature columns, the model expects ${spec.inputs} (spec.inputs)`);
  }
  const width = targetWidth(spec);
  if (data.targets.length !== data.rows * width) {
    throw new DataError(`${what} has ${data.targets.length} target values for ${data.rows} rows; expected ${width} per row`);
  }
  for (let i = 0; i < data.features.length; i++) {
    if (!Number.isFinite(data.features[i]!)) {
      throw new DataError(`${what}: row ${Math.floor(i / data.cols) + 1}, feature ${(i % data.cols) + 1} is ${data.features[i]}`);
    }
  }
  for (let i = 0; i < data.targets.length; i++) {
    const y = data.targets[i]!;
    const row = Math.floor(i / width) + 1;
    if (spec.task === 'multiclass' && !(Number.isInteger(y) && y >= 0 && y < spec.outputs)) {
      throw new DataError(`${what}: row ${row} has label ${y}, outside the class range 0..${spec.outputs - 1}`);
    }
    if (spec.task === 'binary' && !(y >= 0 && y <= 1)) {
      throw new DataError(`${what}: row ${row} has target ${y}; a binary task needs targets in [0, 1]`);
    }
    if (!Number.isFinite(y)) throw new DataError(`${what}: row ${row} has target ${y}`);
  }
}

/** The rows listed in `rows`, in that order, copied into a new Dataset (`width` targets per row). */
export function selectRows(data: Dataset, rows: ArrayLike<number>, width: number): Dataset {
  const features = new Float32Array(rows.length * data.cols);
  const targets = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    features.set(data.features.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols);
    targets.set(data.targets.subarray(r * width, (r + 1) * width), i * width);
  }
  return { features, rows: rows.length, cols: data.cols, targets };
}
