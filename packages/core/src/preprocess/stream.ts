import { DataError, InvalidArgumentError } from '../errors.js';
import { categoricalColumn, median, numericColumn } from './column-stats.js';
import type { PreprocessOptions } from './fit.js';
import { KIND_WINDOW, KindInference, kindMismatch, nonfiniteNumber, type ColumnKind } from './kind.js';
import { finiteFloat32 } from './labels.js';
import { CategoryCounter } from './category-counter.js';
import { DEFAULT_MAX_CATEGORIES } from './column-stats.js';
import { type ColumnSchema, type Preprocessing, SCALINGS, validatePreprocessing } from './schema.js';
import { booleanValue, isMissing } from './tokens.js';

/** Values a categorical column counts exactly before its counts become a bounded summary (CategoryCounter). */
export function countingCapacity(maxCategories: number): number {
  return Math.max(10 * maxCategories, 10_000);
}

/** How a column's statistics are gathered. */
export interface ColumnStatsOptions {
  /** The kind, not inferred (numbers that are codes declared categorical). */
  readonly override?: ColumnKind;
  /** Present values the kind is decided from. @defaultValue KIND_WINDOW */
  readonly kindWindow?: number;
  /** Keep every number, so that the exact median is known (`numericImpute: 'median'`). @defaultValue false */
  readonly keepValues?: boolean;
  /** Added to the error about a value that contradicts the column's kind (how to declare the kind). */
  readonly contradictionHint?: (column: string) => string;
  /** A number that is infinite or beyond float32 in a numeric column: refused, or counted as missing. @defaultValue 'error' */
  readonly nonfinite?: 'error' | 'missing';
  /** The vocabulary cap the schema will use: the counts stay exact well past it (countingCapacity). @defaultValue DEFAULT_MAX_CATEGORIES */
  readonly maxCategories?: number;
}

/**
 * One column's statistics gathered value by value, in row order, without keeping the values: the
 * kind decided from its first present values (`KindInference`; a later value that contradicts it is
 * an error naming its place), Welford mean and variance with min and max for numbers, and category
 * counts. `inferKind` and `columnValues` give the same kind and the same errors over a whole column.
 */
export class StreamingColumnStats {
  private readonly kinds: KindInference;
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private missing = 0;
  /** Where the first non-finite number was, while the kind is open: refused if the column turns out numeric. */
  private firstInfinite: { value: string; where: string } | null = null;
  /** Counts of the trimmed present values, in bounded memory; dropped once the column is decided numeric. */
  private counts: CategoryCounter | null;
  /** Every number (or boolean as 0/1), with `keepValues`. */
  private readonly values: number[] | null;

  constructor(
    readonly name: string,
    private readonly options: ColumnStatsOptions = {},
  ) {
    this.kinds = new KindInference(options.override, options.kindWindow ?? KIND_WINDOW);
    this.values = options.keepValues ? [] : null;
    const capacity = countingCapacity(options.maxCategories ?? DEFAULT_MAX_CATEGORIES);
    this.counts = options.override === 'numeric' ? null : new CategoryCounter(capacity);
  }

  /** Adds one cell as read (null or a missing token is missing). `where` names its row in errors. */
  add(value: string | null, where: () => string = () => 'a row'): void {
    if (isMissing(value)) {
      this.missing++;
      return;
    }
    const v = value!.trim();
    if (this.kinds.decided === 'numeric') {
      // The common case of a big file, parsed once.
      const n = Number(v);
      if (!finiteFloat32(n)) {
        if (this.nonfiniteIsMissing && !Number.isNaN(n)) {
          this.missing++;
          return;
        }
        this.refuseMismatch(v, where);
      }
      this.addFinite(n);
      return;
    }
    const open = this.observe(v, where);
    if (this.kinds.kind !== 'categorical' || open) this.addNumber(v);
    this.counts?.add(v);
    if (open && this.kinds.decided !== null) this.onDecided();
  }

  /**
   * Adds one cell of a row that is not learnt from (a held-out row): it counts towards the kind
   * while that is open, and is checked against it once decided, as `add` checks a train row; the
   * statistics never see it. So the kind depends on the file's rows, not on how they were split.
   */
  addHeldOut(value: string | null, where: () => string = () => 'a row'): void {
    if (isMissing(value)) return;
    if (this.observe(value!.trim(), where) && this.kinds.decided !== null) this.onDecided();
  }

  /** Observes a present value for the kind, or checks it against the decided kind; whether the kind was open. */
  private observe(v: string, where: () => string): boolean {
    if (this.kinds.decided !== null) {
      this.refuseMismatch(v, where);
      return false;
    }
    this.kinds.observe(v);
    if (this.firstInfinite === null && nonfiniteNumber(v)) this.firstInfinite = { value: v, where: where() };
    return true;
  }

  private get nonfiniteIsMissing(): boolean {
    return this.options.nonfinite === 'missing';
  }

  /** Throws if `value` (present, trimmed) contradicts the decided kind (a non-finite number is NONFINITE_VALUE, unless taken as missing). */
  private refuseMismatch(value: string, where: () => string): void {
    const reason = kindMismatch(this.kinds.kind, value);
    if (reason === null) return;
    if (this.kinds.kind === 'numeric' && nonfiniteNumber(value)) {
      if (this.nonfiniteIsMissing) return;
      const place = where();
      throw new DataError(`${place}, column "${this.name}": ${reason}`, {
        code: 'NONFINITE_VALUE',
        fields: { column: this.name, value, where: place },
      });
    }
    throw new DataError(`${where()}, column "${this.name}": ${reason}${this.options.contradictionHint?.(this.name) ?? ''}`);
  }

  private addNumber(v: string): void {
    const b = booleanValue(v);
    const n = this.kinds.kind === 'boolean' && b !== null ? b : Number(v);
    if (finiteFloat32(n)) this.addFinite(n);
  }

  private addFinite(n: number): void {
    this.count++;
    const d = n - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (n - this.mean);
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
    this.values?.push(n);
  }

  /** The kind is decided (window full, or the end): a numeric column refuses an infinite number seen while it was open and forgets its counts. */
  private onDecided(): void {
    if (this.kinds.kind !== 'numeric') return;
    const inf = this.firstInfinite;
    if (inf !== null) this.refuseMismatch(inf.value, () => inf.where);
    this.counts = null;
  }

  /** Present values seen. */
  get present(): number {
    if (this.kind !== 'categorical') return this.count;
    return this.counts?.present ?? 0;
  }

  /** The kind: decided from the first present values, or from all of them when there were fewer. */
  get kind(): ColumnKind {
    return this.kinds.kind;
  }

  /** Distinct present values (categorical columns; estimated past the counting capacity), for "an identifier?". */
  get distinct(): number {
    return this.counts?.distinct ?? 0;
  }

  /** The column's schema under `options`, with `fitPreprocessing`'s conventions. */
  schema(options: PreprocessOptions = {}): ColumnSchema {
    if ((options.numericImpute ?? 'mean') === 'median' && this.values === null) {
      throw new InvalidArgumentError('numericImpute', 'median', 'needs every value (the exact median); streamed statistics support mean');
    }
    if (this.kinds.decided === null) this.onDecided();
    const kind = this.kind;
    if (kind === 'categorical') {
      const c = this.counts ?? new CategoryCounter(1);
      return categoricalColumn(this.name, { counts: c.kept, distinct: c.distinct, exact: c.exact }, this.missing, options);
    }
    const med = this.values !== null && this.values.length > 0 ? { median: median(this.values) } : {};
    const std = Math.sqrt(this.count > 0 ? this.m2 / this.count : 0);
    return numericColumn(this.name, kind, { count: this.count, mean: this.mean, std, min: this.min, max: this.max, ...med }, options);
  }
}

/** How a table's columns are gathered: per-column overrides, and the options every column shares. */
export interface StreamingPreprocessingOptions extends Omit<ColumnStatsOptions, 'override'> {
  readonly overrides?: ReadonlyMap<string, ColumnKind>;
}

/**
 * The preprocessing of a table streamed row by row: one StreamingColumnStats a column (in input
 * order). `fitPreprocessing` over the same rows gives the same schema (statistics equal up to
 * floating-point rounding: Welford here, two-pass sums there).
 */
export class StreamingPreprocessing {
  readonly columns: StreamingColumnStats[];

  constructor(names: readonly string[], options: StreamingPreprocessingOptions = {}) {
    this.columns = names.map((n) => {
      const override = options.overrides?.get(n);
      return new StreamingColumnStats(n, { ...options, ...(override ? { override } : {}) });
    });
  }

  /** Adds one row: one cell per column, in the order of the names. */
  add(cells: readonly (string | null)[], where?: () => string): void {
    this.columns.forEach((c, i) => c.add(cells[i] ?? null, where));
  }

  /** Adds one row that is not learnt from (held out): towards the kinds only (`StreamingColumnStats.addHeldOut`). */
  addHeldOut(cells: readonly (string | null)[], where?: () => string): void {
    this.columns.forEach((c, i) => c.addHeldOut(cells[i] ?? null, where));
  }

  /** The fitted schema of every column (throws DataError for a column with no values). */
  finish(options: PreprocessOptions = {}): Preprocessing {
    if (options.scaling && !SCALINGS.includes(options.scaling)) {
      throw new InvalidArgumentError('scaling', options.scaling, `must be one of ${SCALINGS.join(', ')}`);
    }
    const p = { columns: this.columns.map((c) => c.schema(options)) };
    validatePreprocessing(p);
    return p;
  }
}
