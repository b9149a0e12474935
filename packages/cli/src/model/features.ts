import { DataError, DataFormatError, encodeRecord } from '@onnx-mlp/core';
import type { Cell, SourceRow } from '@onnx-mlp/core/data';
import { formatLocation } from '@onnx-mlp/core/internal';
import type { InferenceModel } from './inference-model.js';
import { quoted } from '../io/echo.js';

/** Turns the rows of one file into the model's `input` rows. */
export interface FeatureEncoder {
  /** Writes the input vector of `row` (inputWidth values) into `out` at `offset`. */
  encode(row: SourceRow, out: Float32Array, offset: number): void;
}

function quoteList(names: readonly string[], limit = 20): string {
  const shown = names
    .slice(0, limit)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}

/** What an encoder needs of a model: its preprocessing, or (without one) its number of inputs. */
export type EncodedShape = Pick<InferenceModel, 'preprocessing'> & { readonly spec: { readonly inputs: number } };

/** What to tell the user when a file's columns do not fit a model without preprocessing. */
export interface ColumnHint {
  /** Columns left out as labels. */
  readonly excluded: readonly string[];
  /** Appended to the width error, e.g. how to leave out a label column. */
  readonly hint?: string;
}

/**
 * The encoder for a file with `columns` (its header, in file order).
 *
 * - A model with preprocessing takes its raw columns by name (core's encodeRecord: numbers, booleans,
 *   categories, missing values); other columns are ignored. A column the model needs and the file
 *   lacks is a DataFormatError naming it and listing what the model expects.
 * - A model without preprocessing takes every column except `excluded`, in file order, as numbers:
 *   their count must be spec.inputs, and every cell a finite number.
 */
export function featureEncoder(m: EncodedShape, file: string, columns: readonly string[], columnHint: ColumnHint): FeatureEncoder {
  const p = m.preprocessing;
  if (p) {
    const at = new Map(columns.map((name, i) => [name, i]));
    const wanted = p.columns.map((c) => c.name);
    const missing = wanted.filter((name) => !at.has(name));
    if (missing.length > 0) {
      const which = missing.length === 1 ? `column ${JSON.stringify(missing[0])}` : `columns ${quoteList(missing)}`;
      throw new DataFormatError({ file }, `has no ${which}; the model expects the columns ${quoteList(wanted)}`);
    }
    const indices = wanted.map((name) => at.get(name)!);
    return {
      encode(row, out, offset) {
        const record = Object.create(null) as Record<string, Cell>;
        for (let i = 0; i < indices.length; i++) record[wanted[i]!] = row.cells[indices[i]!] ?? null;
        let values: Float32Array;
        try {
          values = encodeRecord(p, record, 'row');
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          // Only a failing row pays for its place in the message: encode it again, named.
          values = encodeRecord(p, record, formatLocation({ file, line: row.line }));
        }
        out.set(values, offset);
      },
    };
  }

  const skip = new Set(columnHint.excluded);
  const indices: number[] = [];
  columns.forEach((name, i) => {
    if (!skip.has(name)) indices.push(i);
  });
  if (indices.length !== m.spec.inputs) {
    const besides = columnHint.excluded.filter((c) => columns.includes(c));
    const counted = besides.length > 0 ? ` besides ${quoteList(besides)}` : '';
    throw new DataFormatError(
      { file },
      `has ${indices.length} feature columns${counted}; the model takes ${m.spec.inputs} numeric features ` +
        `(it has no preprocessing, so every column but the label is a feature)${columnHint.hint ?? ''}`,
    );
  }
  return {
    encode(row, out, offset) {
      for (let j = 0; j < indices.length; j++) {
        const c = indices[j]!;
        const v = row.cells[c];
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
        if (!Number.isFinite(n)) throw numberError({ file, line: row.line, column: columns[c]!, value: v ?? null });
        out[offset + j] = n;
      }
    },
  };
}

/** Where a bad cell is, what it holds, and (optionally) why a number was needed. */
export interface NumberErrorDetail {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly value: Cell;
  /** @defaultValue 'a model without preprocessing takes numbers only' */
  readonly what?: string;
}

/** A cell that should hold a number and does not. */
export function numberError(d: NumberErrorDetail): DataFormatError {
  const { file, line, column, value, what = 'a model without preprocessing takes numbers only' } = d;
  const reason =
    value === null || (typeof value === 'string' && value.trim() === '')
      ? `missing value; ${what}`
      : `${quoted(typeof value === 'string' ? value : String(value))} is not a number; ${what}`;
  return new DataFormatError({ file, line, column }, reason);
}
