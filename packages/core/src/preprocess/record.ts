import { DataError } from '../errors.js';
import type { Preprocessing } from './schema.js';
import { booleanValue, isMissing } from './tokens.js';

/** A raw record: column name to value, as a CSV row with its header or a JSON object gives it. */
export type RawRecord = Readonly<Record<string, unknown>>;

/**
 * Turns one raw record into the model's raw input vector (numbers as numbers, NaN for missing,
 * booleans as 0/1, categories as their vocabulary index or -1 when unseen). The CLI and the web
 * package both use this, so a record means the same everywhere. `where` names the record in errors.
 */
export function encodeRecord(p: Preprocessing, record: RawRecord, where = 'record'): Float32Array {
  const out = new Float32Array(p.columns.length);
  p.columns.forEach((c, i) => {
    if (!(c.name in record)) {
      throw new DataError(`${where} has no column "${c.name}"; the model expects ${p.columns.map((x) => `"${x.name}"`).join(', ')}`);
    }
    const v = record[c.name];
    if (isMissing(v)) {
      out[i] = NaN;
    } else if (c.kind === 'categorical') {
      out[i] = c.vocabulary.indexOf(String(v).trim());
    } else if (c.kind === 'boolean') {
      const s = String(v).trim().toLowerCase();
      const b = typeof v === 'boolean' ? Number(v) : booleanValue(s);
      if (b !== null) out[i] = b;
      else throw new DataError(`${where}, column "${c.name}": "${s}" is not a boolean (true/false, 1/0, yes/no)`);
    } else {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (!Number.isFinite(n)) throw new DataError(`${where}, column "${c.name}": "${String(v)}" is not a number`);
      out[i] = n;
    }
  });
  return out;
}

/** Encodes a CSV row given its header, refusing a row whose length differs from the header's. */
export function encodeCsvRow(p: Preprocessing, header: readonly string[], row: readonly string[], where = 'row'): Float32Array {
  if (row.length !== header.length) throw new DataError(`${where} has ${row.length} fields, the header has ${header.length}`);
  return encodeRecord(p, Object.fromEntries(header.map((h, i) => [h, row[i]])), where);
}
