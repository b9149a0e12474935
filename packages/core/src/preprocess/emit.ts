import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';
import { type CategoricalColumn, type NumericColumn, type Preprocessing, featureWidth } from './schema.js';

/**
 * True where `x` holds a value (x == x is false only for NaN). Not IsNaN: OpenCV 4.x's importer has
 * no IsNaN (4.14 refuses it), while Equal loads in every runtime the cross-runtime test runs.
 */
function present(b: GraphBuilder, x: Value): Value {
  return b.op('Equal', [x, x]);
}

/**
 * Columns `indices` (ascending) of `raw`, one Slice per run of adjacent columns: a Gather with
 * several indices is refused by OpenCV 4.6's importer, Slice and Concat load everywhere.
 */
export function selectColumns(b: GraphBuilder, raw: Value, indices: readonly number[]): Value {
  const runs: Array<[number, number]> = [];
  for (const i of indices) {
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  const axes = b.constant([1], DataType.INT64);
  const parts = runs.map(([start, end]) =>
    b.op('Slice', [raw, b.constant([start], DataType.INT64), b.constant([end], DataType.INT64), axes]),
  );
  return parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: attr.int(1) });
}

/** The numeric columns' features in one block: sliced out, NaN imputed, then (x - center) / scale. */
function emitNumeric(b: GraphBuilder, raw: Value, numeric: readonly NumericAt[]): Value {
  const f = DataType.FLOAT;
  const cols = numeric.map(({ c }) => c);
  const x = selectColumns(
    b,
    raw,
    numeric.map(({ i }) => i),
  );
  const filled = b.op('Where', [
    present(b, x),
    x,
    b.constant(
      cols.map((c) => c.impute),
      f,
    ),
  ]);
  return scaleNumeric(b, filled, cols);
}

/** (filled - center) / scale per numeric column: the features of the imputed numeric block. */
export function scaleNumeric(b: GraphBuilder, filled: Value, cols: readonly NumericColumn[]): Value {
  const f = DataType.FLOAT;
  const centered = b.op('Sub', [
    filled,
    b.constant(
      cols.map((c) => c.center),
      f,
    ),
  ]);
  return b.op(
    'Div',
    [
      centered,
      b.constant(
        cols.map((c) => c.scale),
        f,
      ),
    ],
    {},
    { names: [b.fresh('numeric_features')] },
  );
}

/** Column `i` one-hot encoded by comparing its index (NaN -> the missing index) with 0..V-1. */
function emitOneHot(b: GraphBuilder, raw: Value, c: CategoricalColumn, i: number): Value {
  const f = DataType.FLOAT;
  const col = b.op('Gather', [raw, b.constant([i], DataType.INT64)], { axis: attr.int(1) });
  const index = b.op('Where', [present(b, col), col, b.constant(c.missingIndex, f)]);
  const hot = b.op('Equal', [
    index,
    b.constant(
      c.vocabulary.map((_, k) => k),
      f,
    ),
  ]);
  return b.op('Cast', [hot], { to: attr.int(f) }, { names: [b.fresh(`${c.name}_onehot`)] });
}

/** A numeric column and its position in the raw vector. */
export interface NumericAt {
  readonly c: NumericColumn;
  readonly i: number;
}

/** How one form of the preprocessing emits its two kinds of feature block. */
export interface FeatureEmitters {
  /** The numeric columns' features, one block (in raw-column order). */
  readonly numeric: (numeric: readonly NumericAt[]) => Value;
  /** Categorical column `c` (raw column `i`) one-hot encoded: [batch, vocabulary size]. */
  readonly oneHot: (c: CategoricalColumn, i: number) => Value;
}

/** The features in the MLP's order, numeric block first, then each categorical column's one-hot; width checked. */
export function assembleFeatures(b: GraphBuilder, p: Preprocessing, emit: FeatureEmitters): Value {
  const parts: Value[] = [];
  const numeric: NumericAt[] = [];
  p.columns.forEach((c, i) => {
    if (c.kind !== 'categorical') numeric.push({ c, i });
  });
  if (numeric.length > 0) parts.push(emit.numeric(numeric));
  p.columns.forEach((c, i) => {
    if (c.kind === 'categorical') parts.push(emit.oneHot(c, i));
  });
  const out = parts.length === 1 ? parts[0]! : b.op('Concat', parts, { axis: attr.int(1) });
  if (out.shape[1] !== featureWidth(p)) throw new Error(`preprocess: built ${out.shape[1]} features, expected ${featureWidth(p)}`);
  return out;
}

/**
 * Emits the preprocessing from the raw vector [batch, columns] to the MLP's features
 * [batch, featureWidth]: numeric columns first (NaN -> imputed value, then (x - center) / scale),
 * then each categorical column one-hot encoded by comparing its index with 0..V-1 (so an unknown
 * index gives all zeros, where OneHot would wrap a negative index around). Standard ops only.
 */
export function emitPreprocess(b: GraphBuilder, p: Preprocessing, raw: Value): Value {
  return b.scoped('preprocess', () =>
    assembleFeatures(b, p, {
      numeric: (numeric) => emitNumeric(b, raw, numeric),
      oneHot: (c, i) => emitOneHot(b, raw, c, i),
    }),
  );
}
