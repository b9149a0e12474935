import { DataError, InvalidArgumentError } from '../errors.js';
import { categoricalColumn, numericColumn } from './column-stats.js';
import type { PreprocessOptions } from './fit.js';
import type { ColumnKind } from './infer.js';
import { MISSING_TOKENS } from './record.js';
import { ColumnSchema, Preprocessing, SCALINGS, validatePreprocessing } from './schema.js';

const BOOLEAN_TOKENS = new Set(['true', 'false', 'yes', 'no']);

/**
 * Distinct values a still-numeric column remembers (with their counts) so that it can become
 * categorical if a non-number turns up later in the file. Past this, a column that turns out not to
 * be numeric is an error asking to declare it categorical (its earlier values were not kept).
 */
export const STREAM_DISTINCT_LIMIT = 100_000;

/**
 * One column's statistics gathered value by value, without keeping the values: the kind as
 * `inferKind` would infer it over all of them (numeric while every present value is a finite
 * number, boolean while every one is true/false/yes/no, categorical otherwise, or the override),
 * Welford mean and variance with min and max for numbers, and category counts.
 */
export class StreamingColumnStats {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private missing = 0;
  private numeric = true;
  private boolean = true;
  /** Counts of the trimmed present values; null once a numeric column has too many to keep. */
  private counts: Map<string, number> | null = new Map();

  constructor(readonly name: string, private readonly override?: ColumnKind) {
    if (override === 'categorical') this.numeric = this.boolean = false;
  }

  /** Adds one cell as read (null or a missing token is missing). `where` names it in errors. */
  add(value: string | null, where?: () => string): void {
    if (value === null || MISSING_TOKENS.has(value.trim())) {
      this.missing++;
      return;
    }
    const v = value.trim();
    if (this.numeric) {
      const n = Number(v);
      if (Number.isFinite(n)) {
        this.count++;
        const d = n - this.mean;
        this.mean += d / this.count;
        this.m2 += d * (n - this.mean);
        if (n < this.min) this.min = n;
        if (n > this.max) this.max = n;
      } else {
        this.numeric = false;
        if (this.override === 'numeric') throw new DataError(`${where?.() ?? 'a row'}, column "${this.name}": "${v}" is not a number (the column is numeric)`);
        if (this.counts === null) {
          const at = where?.() ?? 'a row';
          throw new DataError(`${at}, column "${this.name}": "${v}" is not a number, after more than ${STREAM_DISTINCT_LIMIT} distinct numbers; `
            + 'a streamed column that mixes them is not kept: declare it categorical or fix the value',
          { code: 'MIXED_STREAMED_COLUMN', fields: { at, column: this.name, value: v, limit: STREAM_DISTINCT_LIMIT } });
        }
      }
    }
    if (this.boolean && !BOOLEAN_TOKENS.has(v.toLowerCase())) this.boolean = false;
    if (this.counts !== null) {
      this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
      if (this.numeric && this.counts.size > STREAM_DISTINCT_LIMIT) this.counts = null;
      else if (!this.numeric && this.counts.size > STREAM_DISTINCT_LIMIT * 10) {
        throw new DataError(`column "${this.name}" has more than ${STREAM_DISTINCT_LIMIT * 10} distinct categories: leave it out`,
          { code: 'TOO_MANY_CATEGORIES', fields: { column: this.name, limit: STREAM_DISTINCT_LIMIT * 10 } });
      }
    }
  }

  /** Present values seen. */
  get present(): number {
    return this.numeric ? this.count : [...(this.counts ?? new Map<string, number>()).values()].reduce((a, b) => a + b, 0);
  }

  /** The kind `inferKind` gives the values added so far. */
  get kind(): ColumnKind {
    if (this.override) return this.override;
    if (this.numeric && this.count > 0) return 'numeric';
    if (this.boolean && this.counts !== null && this.counts.size > 0) return 'boolean';
    return 'categorical';
  }

  /** Category counts (categorical columns), for notices such as "an identifier?". */
  categoryCounts(): ReadonlyMap<string, number> {
    return this.counts ?? new Map();
  }

  /** The column's schema under `options`, with `fitPreprocessing`'s conventions. */
  schema(options: PreprocessOptions = {}): ColumnSchema {
    if ((options.numericImpute ?? 'mean') === 'median') {
      throw new InvalidArgumentError('numericImpute', 'median', 'needs every value (the exact median); streamed statistics support mean');
    }
    const kind = this.kind;
    if (kind === 'numeric') {
      return numericColumn(this.name, 'numeric', { count: this.count, mean: this.mean, std: Math.sqrt(this.count > 0 ? this.m2 / this.count : 0), min: this.min, max: this.max }, options);
    }
    if (kind === 'boolean') {
      const counts = this.counts!;
      let ones = 0;
      let n = 0;
      for (const [v, c] of counts) {
        n += c;
        const t = v.toLowerCase();
        if (t === 'true' || t === 'yes') ones += c;
      }
      const mean = n > 0 ? ones / n : 0;
      const std = Math.sqrt(mean * (1 - mean));
      return numericColumn(this.name, 'boolean', { count: n, mean, std, min: ones < n ? 0 : 1, max: ones > 0 ? 1 : 0 }, options);
    }
    return categoricalColumn(this.name, this.counts ?? new Map(), this.missing, options);
  }
}

/**
 * The preprocessing of a table streamed row by row: one StreamingColumnStats a column (in input
 * order). `fitPreprocessing` over the same rows gives the same schema (statistics equal up to
 * floating-point rounding: Welford here, two-pass sums there).
 */
export class StreamingPreprocessing {
  readonly columns: StreamingColumnStats[];

  constructor(names: readonly string[], overrides: ReadonlyMap<string, ColumnKind> = new Map()) {
    this.columns = names.map((n) => new StreamingColumnStats(n, overrides.get(n)));
  }

  /** Adds one row: one cell per column, in the order of the names. */
  add(cells: readonly (string | null)[], where?: () => string): void {
    this.columns.forEach((c, i) => c.add(cells[i] ?? null, where));
  }

  finish(options: PreprocessOptions = {}): Preprocessing {
    if (options.scaling && !SCALINGS.includes(options.scaling)) {
      throw new InvalidArgumentError('scaling', options.scaling, `must be one of ${SCALINGS.join(', ')}`);
    }
    const p = { columns: this.columns.map((c) => c.schema(options)) };
    validatePreprocessing(p);
    return p;
  }
}
