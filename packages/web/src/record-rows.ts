import { DataError, encodeRecord, type Preprocessing } from '@onnx-mlp/core';
import { WebModelError } from './errors.js';

/**
 * Encodes raw records into one [records, columns] row-major Float32Array, checking each record as a
 * typed WebModelError ('bad-input', 'missing-column', 'bad-value'). The array is the caller's own,
 * so it can be handed to the runtime without a copy.
 */
export function encodeRecordRows(p: Preprocessing, columns: readonly string[], records: readonly Record<string, unknown>[]): Float32Array {
  const width = columns.length;
  const rows = new Float32Array(records.length * width);
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    checkRecord(columns, record, i);
    try {
      rows.set(encodeRecord(p, record, `record ${i + 1}`), i * width);
    } catch (e) {
      if (e instanceof DataError) throw new WebModelError('bad-value', e.message, { cause: e });
      throw e;
    }
  }
  return rows;
}

/** Refuses a record that is not an object or lacks a column (naming the missing ones); allocates nothing when it is fine. */
function checkRecord(columns: readonly string[], record: Record<string, unknown>, index: number): void {
  if (typeof record !== 'object' || record === null) {
    throw new WebModelError(
      'bad-input',
      `record ${index + 1} is ${record === null ? 'null' : typeof record}, not an object keyed by column name`,
    );
  }
  let complete = true;
  for (const c of columns) if (!(c in record)) complete = false;
  if (complete) return;
  const missing = columns.filter((c) => !(c in record));
  const which = missing.length === 1 ? `column "${missing[0]}"` : `columns ${missing.map((c) => `"${c}"`).join(', ')}`;
  throw new WebModelError(
    'missing-column',
    `record ${index + 1} has no ${which}; the model expects the columns ${columns.map((c) => `"${c}"`).join(', ')}`,
  );
}
