import { DataError, InvalidArgumentError } from '../errors.js';
import type { Task } from '../model/spec.js';
import { isMissing } from './tokens.js';

/** Distinct label values kept for classification; a label with more can only be a regression target. */
export const MAX_CLASSES = 65536;

/** What a label column turned out to be: the task, and the class names in output order (classifiers). */
export type LabelEncoding =
  | {
      readonly task: 'multiclass' | 'binary';
      readonly classNames: readonly string[];
      /** The labels are numbers and the class names their canonical form (`10.0` is class "10"). */
      readonly numericClasses?: boolean;
    }
  | { readonly task: 'regression' };

/** The largest float32: a number beyond it becomes infinite in the model's float32 tensors. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Whether `n` (a parsed number) is finite in float32. */
export function finiteFloat32(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) <= FLOAT32_MAX;
}

/**
 * `task: 'auto'` on integer labels: regression when they take more than AUTO_REGRESSION_DISTINCT
 * distinct values, or more than AUTO_FEW_DISTINCT that are over AUTO_REGRESSION_SHARE of the rows
 * (Horsepower: 94 values in 400 rows); classification for a few codes (digits 0-9, 3-8 cylinders).
 */
export const AUTO_REGRESSION_DISTINCT = 20;
export const AUTO_FEW_DISTINCT = 10;
export const AUTO_REGRESSION_SHARE = 0.05;

/** The canonical text of a numeric label, so that `10`, `10.0` and `1e1` are one class. */
function numericKey(v: string): string {
  return String(Number(v));
}

/**
 * A label column read value by value (whole or streamed alike): whether every label is a number and
 * an integer, the distinct labels, missing labels (counted, the first one's place kept) and the first
 * non-number. `finish` decides the task: `auto` picks regression for numbers that are not all
 * integers or take many distinct values, classification otherwise (binary for two classes). Class
 * names are the distinct labels sorted (numerically, in canonical form, when they are numbers).
 */
export class LabelStats {
  private numeric = true;
  private integer = true;
  private present = 0;
  private missing = 0;
  private firstMissing: string | null = null;
  private firstNonNumber: string | null = null;
  private firstNonFinite: string | null = null;
  /** Label → count; null once there are more than MAX_CLASSES. */
  private classes: Map<string, number> | null = new Map();

  constructor(readonly name: string) {}

  /** Adds one label as read; a missing one is counted (`finish` refuses it), its place kept if it is the first. */
  add(value: string | null, where: () => string): void {
    if (isMissing(value)) {
      this.missing++;
      this.firstMissing ??= where();
      return;
    }
    this.present++;
    const v = value!.trim();
    const n = Number(v);
    if (Number.isNaN(n)) {
      this.numeric = false;
      this.firstNonNumber ??= `${where()}, label column "${this.name}": "${v}" is not a number (regression)`;
    } else if (!finiteFloat32(n)) {
      this.firstNonFinite ??= `${where()}, label column "${this.name}": "${v}" is not a finite number (a regression label must be)`;
    } else if (!Number.isInteger(n)) this.integer = false;
    if (this.classes !== null) {
      this.classes.set(v, (this.classes.get(v) ?? 0) + 1);
      if (this.classes.size > MAX_CLASSES) this.classes = null;
    }
  }

  /** Distinct labels, numbers in canonical form (null: more than MAX_CLASSES). */
  private distinct(): Map<string, number> | null {
    if (this.classes === null || !this.numeric) return this.classes;
    const merged = new Map<string, number>();
    for (const [k, c] of this.classes) merged.set(numericKey(k), (merged.get(numericKey(k)) ?? 0) + c);
    return merged;
  }

  /** What `auto` makes of the labels, and why (the notice a front end prints; null for text labels). */
  autoChoice(): { task: Task; reason: string | null } {
    const classes = this.distinct();
    const count = classes === null ? `more than ${MAX_CLASSES}` : String(classes.size);
    if (!this.numeric) return { task: classes?.size === 2 ? 'binary' : 'multiclass', reason: null };
    if (!this.integer) return { task: 'regression', reason: `numbers that are not all integers` };
    const n = classes?.size ?? Infinity;
    const many = n > AUTO_REGRESSION_DISTINCT || (n > AUTO_FEW_DISTINCT && n > AUTO_REGRESSION_SHARE * this.present);
    if (many) return { task: 'regression', reason: `${count} distinct integers in ${this.present} rows` };
    return { task: n === 2 ? 'binary' : 'multiclass', reason: `${count} distinct integers in ${this.present} rows` };
  }

  /** Throws unless every row has a label (`dropped`: rows already left out for missing it). */
  private checkPresent(dropped: number): void {
    if (this.present === 0) {
      const rows = this.missing + dropped;
      throw new DataError(`label column "${this.name}" has no values: it is missing in all ${rows} rows`, {
        code: 'EMPTY_LABEL',
        fields: { column: this.name, rows },
      });
    }
    if (this.missing > 0) {
      throw new DataError(
        `label column "${this.name}" is missing in ${this.missing} ${this.missing === 1 ? 'row' : 'rows'} (the first: ${this.firstMissing}): fill them in or leave those rows out`,
        { code: 'MISSING_LABELS', fields: { column: this.name, count: this.missing, first: this.firstMissing } },
      );
    }
  }

  /** The task and class names for `task` (`auto`: inferred), refusing what cannot be trained. */
  finish(task: Task | 'auto', o: { dropped?: number } = {}): LabelEncoding {
    this.checkPresent(o.dropped ?? 0);
    const chosen = task !== 'auto' ? task : this.autoChoice().task;
    if (chosen === 'regression') {
      if (!this.numeric) throw new DataError(this.firstNonNumber!);
      if (this.firstNonFinite !== null) throw new DataError(this.firstNonFinite, { code: 'NONFINITE_LABEL' });
      return { task: 'regression' };
    }
    const classes = this.distinct();
    if (classes === null) {
      throw new DataError(
        `label column "${this.name}" has more than ${MAX_CLASSES} distinct values: too many classes (a regression label?)`,
        { code: 'TOO_MANY_CLASSES', fields: { column: this.name, limit: MAX_CLASSES } },
      );
    }
    const classNames = [...classes.keys()].sort(this.numeric ? (a, b) => Number(a) - Number(b) : undefined);
    if (classNames.length < 2) {
      throw new DataError(
        `label column "${this.name}" has a single class (${JSON.stringify(classNames[0])}): a classifier needs at least two`,
      );
    }
    if (chosen === 'binary' && classNames.length !== 2) {
      throw new InvalidArgumentError('task', 'binary', `label column "${this.name}" has ${classNames.length} classes`);
    }
    return { task: chosen, classNames, ...(this.numeric ? { numericClasses: true } : {}) };
  }
}

/** Turns labels into targets under `encoding`: the class index, or the number (regression). */
export function labelTargeter(encoding: LabelEncoding): (value: string) => number {
  if (encoding.task === 'regression') return (v) => Number(v.trim());
  const index = new Map(encoding.classNames.map((c, i) => [c, i]));
  if (encoding.numericClasses) return (v) => index.get(numericKey(v.trim()))!;
  return (v) => index.get(v.trim())!;
}
