import { finiteFloat32 } from './labels.js';
import { BOOLEAN_TOKENS } from './tokens.js';

/** What a feature column holds, and so how it is encoded. */
export type ColumnKind = 'numeric' | 'categorical' | 'boolean';

/**
 * Present values a column's kind is decided from, in the order rows come (file order). A value after
 * them that contradicts the kind (text in a numeric column) is an error, never a silent change of kind:
 * a streamed column cannot go back to values it did not keep.
 */
export const KIND_WINDOW = 1000;

/**
 * A column's kind decided from its first present values: numeric when every one is a number,
 * boolean when every one is true/false/yes/no (any case), categorical otherwise; an override decides
 * at once. Text that JavaScript reads as an infinite number (`Infinity`, `1e999`) counts as a number
 * here, so that the numeric column refuses it rather than silently becoming categorical.
 */
export class KindInference {
  private seen = 0;
  private numeric = true;
  private boolean = true;
  private decidedKind: ColumnKind | null;

  constructor(
    override?: ColumnKind,
    private readonly window = KIND_WINDOW,
  ) {
    this.decidedKind = override ?? null;
  }

  /** The kind, once the window is full or an override gave it; null while still open. */
  get decided(): ColumnKind | null {
    return this.decidedKind;
  }

  /** Observes one present, trimmed value while the kind is open. */
  observe(value: string): void {
    if (this.decidedKind !== null) return;
    this.seen++;
    if (this.numeric && Number.isNaN(Number(value))) this.numeric = false;
    if (this.boolean && !BOOLEAN_TOKENS.has(value.toLowerCase())) this.boolean = false;
    if (this.seen >= this.window) this.decidedKind = this.kind;
  }

  /** The kind the values observed so far give (categorical when there were none). */
  get kind(): ColumnKind {
    if (this.decidedKind !== null) return this.decidedKind;
    if (this.seen === 0) return 'categorical';
    return this.numeric ? 'numeric' : this.boolean ? 'boolean' : 'categorical';
  }
}

/** Whether `value` (present, trimmed) reads as a number that is infinite or beyond float32 (`Infinity`, `1e39`). */
export function nonfiniteNumber(value: string): boolean {
  const n = Number(value);
  return !Number.isNaN(n) && !finiteFloat32(n);
}

/** Why `value` (present, trimmed) cannot be a cell of a `kind` column, or null when it can. */
export function kindMismatch(kind: ColumnKind, value: string): string | null {
  if (kind === 'numeric' && Number.isNaN(Number(value))) return `"${value}" is not a number (the column is numeric)`;
  if (kind === 'numeric' && !finiteFloat32(Number(value))) return `"${value}" is not a finite float32 number (the column is numeric)`;
  if (kind === 'boolean' && !BOOLEAN_TOKENS.has(value.toLowerCase()) && value !== '0' && value !== '1') {
    return `"${value}" is not a boolean (the column is boolean)`;
  }
  return null;
}
