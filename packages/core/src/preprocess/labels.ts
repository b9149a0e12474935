import { DataError, InvalidArgumentError } from '../errors.js';
import type { Task } from '../model/spec.js';
import { isMissing } from './tokens.js';

/** Distinct label values kept for classification; a label with more can only be a regression target. */
export const MAX_CLASSES = 65536;

/** What a label column turned out to be: the task, and the class names in output order (classifiers). */
export type LabelEncoding =
  | { readonly task: 'multiclass' | 'binary'; readonly classNames: readonly string[] }
  | { readonly task: 'regression' };

/**
 * A label column read value by value (whole or streamed alike): whether every label is a number and
 * an integer, the distinct labels, and where the first non-number was. `finish` decides the task:
 * `auto` picks regression for numbers that are not all integers, classification otherwise (binary
 * for two classes). Class names are the distinct labels sorted (numerically when they are numbers).
 */
export class LabelStats {
  private numeric = true;
  private integer = true;
  private firstNonNumber: string | null = null;
  /** Label → count; null once there are more than MAX_CLASSES. */
  private classes: Map<string, number> | null = new Map();

  constructor(readonly name: string) {}

  /** Adds one label as read; a missing one is an error naming `where()`. */
  add(value: string | null, where: () => string): void {
    if (isMissing(value)) throw new DataError(`${where()}, label column "${this.name}" is empty`);
    const v = value!.trim();
    const n = Number(v);
    if (!Number.isFinite(n)) {
      this.numeric = false;
      this.firstNonNumber ??= `${where()}, label column "${this.name}": "${v}" is not a number (regression)`;
    } else if (!Number.isInteger(n)) this.integer = false;
    if (this.classes !== null) {
      this.classes.set(v, (this.classes.get(v) ?? 0) + 1);
      if (this.classes.size > MAX_CLASSES) this.classes = null;
    }
  }

  /** The task and class names for `task` (`auto`: inferred), refusing what cannot be trained. */
  finish(task: Task | 'auto'): LabelEncoding {
    const chosen =
      task !== 'auto' ? task : this.numeric && !this.integer ? 'regression' : this.classes?.size === 2 ? 'binary' : 'multiclass';
    if (chosen === 'regression') {
      if (!this.numeric) throw new DataError(this.firstNonNumber!);
      return { task: 'regression' };
    }
    if (this.classes === null) {
      throw new DataError(
        `label column "${this.name}" has more than ${MAX_CLASSES} distinct values: too many classes (a regression label?)`,
        { code: 'TOO_MANY_CLASSES', fields: { column: this.name, limit: MAX_CLASSES } },
      );
    }
    const classNames = [...this.classes.keys()].sort(this.numeric ? (a, b) => Number(a) - Number(b) : undefined);
    if (classNames.length < 2) {
      throw new DataError(
        `label column "${this.name}" has a single class (${JSON.stringify(classNames[0])}): a classifier needs at least two`,
      );
    }
    if (chosen === 'binary' && classNames.length !== 2) {
      throw new InvalidArgumentError('task', 'binary', `label column "${this.name}" has ${classNames.length} classes`);
    }
    return { task: chosen, classNames };
  }
}

/** Turns labels into targets under `encoding`: the class index, or the number (regression). */
export function labelTargeter(encoding: LabelEncoding): (value: string) => number {
  if (encoding.task === 'regression') return (v) => Number(v.trim());
  const index = new Map(encoding.classNames.map((c, i) => [c, i]));
  return (v) => index.get(v.trim())!;
}
