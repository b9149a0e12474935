import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';
import { assembleFeatures, type NumericAt, scaleNumeric, selectColumns } from './emit.js';
import type { CategoricalColumn, Preprocessing } from './schema.js';

// The preprocessing for a caller that passes which cells are missing as a second input `missing`
// (1 = missing, 0 = present) instead of NaN in `input`. No NaN test and no Where: Debian 12's
// OpenCV 4.6 has no Where, and nothing it has turns a NaN into a number (measured). Every op here
// was measured to load and compute alike in OpenCV 4.6, onnxruntime and onnx.reference.

/** Where `missing` is 1 the fill value, else `x`: x·(1 − m) + m·fill, exactly x or fill for a 0/1 mask and a finite x. */
function fillMissing(b: GraphBuilder, masked: { x: Value; present: Value; missing: Value }, fill: readonly number[]): Value {
  const kept = b.op('Mul', [masked.x, masked.present]);
  const filled = b.op('Mul', [masked.missing, b.constant(fill, DataType.FLOAT)]);
  return b.op('Add', [kept, filled]);
}

/** The columns `indices` of `input`, `present` and `missing` (Slice: a Gather giving [N, 1] breaks OpenCV 4.6's Mul). */
function masked(b: GraphBuilder, io: { input: Value; present: Value; missing: Value }, indices: readonly number[]) {
  return {
    x: selectColumns(b, io.input, indices),
    present: selectColumns(b, io.present, indices),
    missing: selectColumns(b, io.missing, indices),
  };
}

/**
 * Column `i` one-hot encoded from its index (a missing cell -> the missing index): relu(1 − |index − k|)
 * for k = 0..V−1, which is 1 where an integer index equals k and 0 elsewhere, so an unseen category
 * (-1, or any index outside the vocabulary) is all zeros as in the NaN form. Not Equal: OpenCV 4.6's
 * Equal does not broadcast [N, 1] against [V]; a Gemm with ones [V, 1] (transB=1) and bias −k spreads
 * the index over the V columns in every runtime.
 */
function emitMaskedOneHot(b: GraphBuilder, io: { input: Value; present: Value; missing: Value }, c: CategoricalColumn, i: number): Value {
  const f = DataType.FLOAT;
  const v = c.vocabulary.length;
  const index = fillMissing(b, masked(b, io, [i]), [c.missingIndex]);
  const offsets = b.op(
    'Gemm',
    [
      index,
      b.constant(new Array<number>(v).fill(1), f, [v, 1]),
      b.constant(
        c.vocabulary.map((_, k) => -k),
        f,
      ),
    ],
    { transB: attr.int(1) },
  );
  const distance = b.op('Sub', [b.constant([1], f), b.op('Abs', [offsets])]);
  return b.op('Relu', [distance], {}, { names: [b.fresh(`${c.name}_onehot`)] });
}

/**
 * Emits the preprocessing from the raw vector `input` [batch, columns] and its mask `missing`
 * [batch, columns] (1 = the cell is missing, its value in `input` ignored but finite; 0 = present)
 * to the MLP's features [batch, featureWidth], in the same order and with the same values as
 * emitPreprocess gives for NaN in the missing cells: imputation, (x − center) / scale, one-hot.
 */
export function emitMaskedPreprocess(b: GraphBuilder, p: Preprocessing, inputs: { input: Value; missing: Value }): Value {
  return b.scoped('preprocess', () => {
    const present = b.op('Sub', [b.constant([1], DataType.FLOAT), inputs.missing]);
    const io = { ...inputs, present };
    return assembleFeatures(b, p, {
      numeric: (numeric: readonly NumericAt[]) => {
        const cols = numeric.map(({ c }) => c);
        const filled = fillMissing(
          b,
          masked(
            b,
            io,
            numeric.map(({ i }) => i),
          ),
          cols.map((c) => c.impute),
        );
        return scaleNumeric(b, filled, cols);
      },
      oneHot: (c, i) => emitMaskedOneHot(b, io, c, i),
    });
  });
}
