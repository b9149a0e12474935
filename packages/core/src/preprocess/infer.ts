import { DataError, InvalidArgumentError } from '../errors.js';
import type { Task } from '../model/spec.js';
import type { ColumnValues } from './fit.js';
import { MISSING_TOKENS } from './record.js';

/** A column of a text table (CSV, JSON), values as read. */
export interface TextColumn {
  readonly name: string;
  readonly values: readonly (string | null)[];
}

export type ColumnKind = 'numeric' | 'categorical' | 'boolean';

const BOOLEAN_TOKENS = new Set(['true', 'false', 'yes', 'no']);

function missing(v: string | null): boolean {
  return v === null || MISSING_TOKENS.has(v.trim());
}

/**
 * A column's kind from its values: numeric when every present value is a finite number, boolean
 * when every one is true/false/yes/no, categorical otherwise. `overrides` wins (numbers that are
 * codes, such as zip codes, can be declared categorical).
 */
export function inferKind(column: TextColumn, override?: ColumnKind): ColumnKind {
  if (override) return override;
  const present = column.values.filter((v): v is string => !missing(v)).map((v) => v.trim());
  if (present.length > 0 && present.every((v) => Number.isFinite(Number(v)))) return 'numeric';
  if (present.length > 0 && present.every((v) => BOOLEAN_TOKENS.has(v.toLowerCase()))) return 'boolean';
  return 'categorical';
}

/** Converts a text column to the typed values `fitPreprocessing` learns from, naming the first bad cell. */
export function columnValues(column: TextColumn, kind: ColumnKind, where: (row: number) => string): ColumnValues {
  if (kind === 'categorical') return { name: column.name, kind, values: column.values.map((v) => (missing(v) ? null : v!.trim())) };
  const values = column.values.map((v, row) => {
    if (missing(v)) return NaN;
    const s = v!.trim();
    if (kind === 'boolean') {
      const t = s.toLowerCase();
      if (t === 'true' || t === 'yes' || t === '1') return 1;
      if (t === 'false' || t === 'no' || t === '0') return 0;
      throw new DataError(`${where(row)}, column "${column.name}": "${s}" is not a boolean`);
    }
    const n = Number(s);
    if (!Number.isFinite(n)) throw new DataError(`${where(row)}, column "${column.name}": "${s}" is not a number (the column is numeric)`);
    return n;
  });
  return { name: column.name, kind, values };
}

/** Labels ready for training: class indices with their names, or regression targets. */
export type Labels =
  | { readonly task: 'multiclass' | 'binary'; readonly classNames: readonly string[]; readonly targets: Float32Array }
  | { readonly task: 'regression'; readonly targets: Float32Array };

/**
 * Reads the label column. `auto` picks regression for numbers that are not all integers,
 * classification otherwise (binary for two classes). Class names are the distinct labels sorted
 * (numerically when they are numbers), stored in the model. Missing labels are an error.
 */
export function encodeLabels(column: TextColumn, task: Task | 'auto', where: (row: number) => string): Labels {
  column.values.forEach((v, row) => {
    if (missing(v)) throw new DataError(`${where(row)}, label column "${column.name}" is empty`);
  });
  const values = column.values.map((v) => v!.trim());
  const numbers = values.map(Number);
  const numeric = numbers.every(Number.isFinite);
  const chosen = task !== 'auto' ? task : numeric && !numbers.every(Number.isInteger) ? 'regression' : new Set(values).size === 2 ? 'binary' : 'multiclass';
  if (chosen === 'regression') {
    const bad = numbers.findIndex((n) => !Number.isFinite(n));
    if (bad >= 0) throw new DataError(`${where(bad)}, label column "${column.name}": "${values[bad]}" is not a number (regression)`);
    return { task: 'regression', targets: Float32Array.from(numbers) };
  }
  const classNames = [...new Set(values)].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (classNames.length < 2) {
    throw new DataError(`label column "${column.name}" has a single class (${JSON.stringify(classNames[0])}): a classifier needs at least two`);
  }
  if (chosen === 'binary' && classNames.length !== 2) {
    throw new InvalidArgumentError('task', 'binary', `label column "${column.name}" has ${classNames.length} classes`);
  }
  const index = new Map(classNames.map((c, i) => [c, i]));
  return { task: chosen, classNames, targets: Float32Array.from(values, (v) => index.get(v)!) };
}
