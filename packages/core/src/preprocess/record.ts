import { DataError } from '../errors.js';
import type { CategoricalColumn, Preprocessing } from './schema.js';
import { finiteFloat32 } from './labels.js';
import { booleanValue, isMissing } from './tokens.js';

/** A raw record: column name to value, as a CSV row with its header or a JSON object gives it. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** How `encodeRecord` reads a record. */
export interface EncodeOptions {
  /** A number that is infinite or beyond float32: refused, or read as missing (as the model was trained). @defaultValue 'error' */
  readonly nonfinite?: 'error' | 'missing';
}

/** Each categorical column's value → index map, made once: a vocabulary may hold a thousand values. */
const INDEXES = new WeakMap<CategoricalColumn, ReadonlyMap<string, number>>();

/** A category's index: its slot, else the "<other>" slot of a capped vocabulary, else -1 (an all-zero one-hot). */
function categoryIndex(c: CategoricalColumn, value: string): number {
  let index = INDEXES.get(c);
  if (index === undefined) {
    index = new Map(c.vocabulary.map((v, k) => [v, k]));
    INDEXES.set(c, index);
  }
  return index.get(value) ?? c.otherIndex ?? -1;
}

/**
 * Turns one raw record into the model's raw input vector (numbers as numbers, NaN for missing,
 * booleans as 0/1, categories as their vocabulary index, or for one not in it the "<other>" slot of a capped vocabulary, else -1). The CLI and the web
 * package both use this, so a record means the same everywhere. `where` names the record in errors.
 * A number that is infinite or beyond float32 is refused, or (`nonfinite: 'missing'`, as a model
 * trained so was) read as missing.
 */
export function encodeRecord(p: Preprocessing, record: RawRecord, where = 'record', options: EncodeOptions = {}): Float32Array {
  const out = new Float32Array(p.columns.length);
  p.columns.forEach((c, i) => {
    if (!(c.name in record)) {
      throw new DataError(`${where} has no column "${c.name}"; the model expects ${p.columns.map((x) => `"${x.name}"`).join(', ')}`);
    }
    const v = record[c.name];
    if (isMissing(v)) {
      out[i] = NaN;
    } else if (c.kind === 'categorical') {
      out[i] = categoryIndex(c, String(v).trim());
    } else if (c.kind === 'boolean') {
      const s = String(v).trim().toLowerCase();
      const b = typeof v === 'boolean' ? Number(v) : booleanValue(s);
      if (b !== null) out[i] = b;
      else throw new DataError(`${where}, column "${c.name}": "${s}" is not a boolean (true/false, 1/0, yes/no)`);
    } else {
      const n = typeof v === 'number' ? v : Number(String(v).trim());
      if (Number.isNaN(n)) throw new DataError(`${where}, column "${c.name}": "${String(v)}" is not a number`);
      if (finiteFloat32(n)) out[i] = n;
      else if (options.nonfinite === 'missing') out[i] = NaN;
      else
        throw new DataError(`${where}, column "${c.name}": "${String(v)}" is not a finite float32 number`, {
          code: 'NONFINITE_VALUE',
          fields: { column: c.name, value: String(v), where },
        });
    }
  });
  return out;
}

/** Encodes a CSV row given its header, refusing a row whose length differs from the header's. */
export function encodeCsvRow(p: Preprocessing, header: readonly string[], row: readonly string[], where = 'row'): Float32Array {
  if (row.length !== header.length) throw new DataError(`${where} has ${row.length} fields, the header has ${header.length}`);
  return encodeRecord(p, Object.fromEntries(header.map((h, i) => [h, row[i]])), where);
}
