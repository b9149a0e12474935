import { DataError } from '../errors.js';
import type { Task } from '../model/spec.js';
import type { ColumnValues } from './fit.js';
import { KindInference, kindMismatch, type ColumnKind } from './kind.js';
import { LabelStats, labelTargeter } from './labels.js';
import { booleanValue, isMissing } from './tokens.js';

/** A column of a text table (CSV, JSON), values as read. */
export interface TextColumn {
  readonly name: string;
  readonly values: readonly (string | null)[];
}

/**
 * A column's kind from its first KIND_WINDOW present values (`KindInference`): numeric when every
 * one is a number, boolean when every one is true/false/yes/no, categorical otherwise. `override`
 * wins (numbers that are codes, such as zip codes, can be declared categorical).
 */
export function inferKind(column: TextColumn, override?: ColumnKind): ColumnKind {
  const kinds = new KindInference(override);
  for (const v of column.values) {
    if (kinds.decided !== null) break;
    if (!isMissing(v)) kinds.observe(v!.trim());
  }
  return kinds.kind;
}

/** Converts a text column to the typed values `fitPreprocessing` learns from, naming the first bad cell. */
export function columnValues(column: TextColumn, kind: ColumnKind, where: (row: number) => string): ColumnValues {
  if (kind === 'categorical') return { name: column.name, kind, values: column.values.map((v) => (isMissing(v) ? null : v!.trim())) };
  const values = column.values.map((v, row) => {
    if (isMissing(v)) return NaN;
    const s = v!.trim();
    const reason = kindMismatch(kind, s);
    if (reason !== null) throw new DataError(`${where(row)}, column "${column.name}": ${reason}`);
    return kind === 'boolean' ? booleanValue(s)! : Number(s);
  });
  return { name: column.name, kind, values };
}

/** Labels ready for training: class indices with their names, or regression targets. */
export type Labels =
  | { readonly task: 'multiclass' | 'binary'; readonly classNames: readonly string[]; readonly targets: Float32Array }
  | { readonly task: 'regression'; readonly targets: Float32Array };

/**
 * Reads a whole label column with `LabelStats` (the task, class names in output order) and encodes
 * every label. Missing labels are an error.
 */
export function encodeLabels(column: TextColumn, task: Task | 'auto', where: (row: number) => string): Labels {
  const stats = new LabelStats(column.name);
  column.values.forEach((v, row) => stats.add(v, () => where(row)));
  const encoding = stats.finish(task);
  const target = labelTargeter(encoding);
  return { ...encoding, targets: Float32Array.from(column.values, (v) => target(v!)) };
}
