import { DataError, encodeRecord, type Preprocessing } from '@onnx-mlp/core';
import { WebModelError } from './errors.js';

/**
 * Encodes raw records into one [records, columns] row-major Float32Array, checking each record as a
 * typed WebModelError ('bad-input', 'missing-column', 'bad-value'). The array is the caller's own,
 * so it can be handed to the runtime without a copy; one record's is encodeRecord's own array.
 */
export function encodeRecordRows(p: Preprocessing, columns: readonly string[], records: readonly Record<string, unknown>[]): Float32Array {
  if (records.length === 1) return encodeChecked(p, columns, records[0]!, 0);
  const width = columns.length;
  const rows = new Float32Array(records.length * width);
  for (let i = 0; i < records.length; i++) rows.set(encodeChecked(p, columns, records[i]!, i), i * width);
  return rows;
}

/**
 * One record's input row. encodeRecord refuses a missing column too, but names only the first: on
 * any refusal the record is checked for missing columns first, so they are reported as before
 * (all of them, code 'missing-column') whatever column encodeRecord stopped at.
 */
function encodeChecked(p: Preprocessing, columns: readonly string[], record: Record<string, unknown>, index: number): Float32Array {
  if (typeof record !== 'object' || record === null) {
    throw new WebModelError(
      'bad-input',
      `record ${index + 1} is ${record === null ? 'null' : typeof record}, not an object keyed by column name`,
    );
  }
  try {
    return encodeRecord(p, record, `record ${index + 1}`);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    refuseMissingColumns(columns, record, index);
    throw new WebModelError('bad-value', e.message, { cause: e });
  }
}

/** Refuses a record that lacks columns, naming every missing one. */
function refuseMissingColumns(columns: readonly string[], record: Record<string, unknown>, index: number): void {
  const missing = columns.filter((c) => !(c in record));
  if (missing.length === 0) return;
  const which = missing.length === 1 ? `column "${missing[0]}"` : `columns ${missing.map((c) => `"${c}"`).join(', ')}`;
  throw new WebModelError(
    'missing-column',
    `record ${index + 1} has no ${which}; the model expects the columns ${columns.map((c) => `"${c}"`).join(', ')}`,
  );
}
