import { OptionError } from '../errors.js';
import { integerOption, parseWidths } from './numbers.js';
import type { ValueCheck } from './option-spec.js';

/**
 * The checks an option table names for its values. Each returns the value the run uses, or throws an
 * OptionError naming the option and the value (`--epochs 0: must be an integer >= 1`).
 */

/** An integer in [min, max]. */
export function integer(min: number, max?: number): ValueCheck<number, number> {
  return (option, value) => integerOption(option, value, min, max);
}

/** One of `choices`. */
export function oneOf<T extends string>(choices: readonly T[]): ValueCheck<string, T> {
  return (option, value) => {
    if (!(choices as readonly string[]).includes(value)) throw new OptionError(option, value, `must be one of ${choices.join(', ')}`);
    return value as T;
  };
}

/** A fraction in [0, 1) or (0, 1). */
export function fraction(allowZero: boolean): ValueCheck<number, number> {
  return (option, value) => {
    if (!(Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && value < 1)) {
      throw new OptionError(option, value, `must be a number in ${allowZero ? '[0, 1)' : '(0, 1)'}`);
    }
    return value;
  };
}

/** A finite number above 0. */
export const positive: ValueCheck<number, number> = (option, value) => {
  if (!(Number.isFinite(value) && value > 0)) throw new OptionError(option, value, 'must be a positive number');
  return value;
};

/** A finite number >= 0. */
export const nonNegative: ValueCheck<number, number> = (option, value) => {
  if (!(Number.isFinite(value) && value >= 0)) throw new OptionError(option, value, 'must be a number >= 0');
  return value;
};

/** A name that is not blank: of a file, a folder or a column. */
export function naming(what: 'file' | 'folder' | 'column'): ValueCheck<string, string> {
  return (option, value) => {
    if (value.trim() === '') throw new OptionError(option, value, `must name a ${what}`);
    return value;
  };
}

/** A comma-separated list of column names ("a,b"); each name non-empty. */
export const columnNames: ValueCheck<string, string[]> = (option, text) => {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new OptionError(option, text, 'must be comma-separated column names, none empty');
  return names;
};

/** Layer widths ("128,64"; "" or "none" for no hidden layer). */
export const layerWidths: ValueCheck<string, number[]> = parseWidths;

/** `check` for an option that may be absent: null when it is. */
export function optional<In, Out>(check: ValueCheck<In, Out>): ValueCheck<In | undefined, Out | null> {
  return (option, value) => (value === undefined ? null : check(option, value));
}
