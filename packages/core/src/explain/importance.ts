import { ExplainError } from './explain-error.js';
import type { ExplainFacts } from './explain-options.js';

/** Global importance: mean |attribution| per raw column over a set of rows (stored under META.importance). */
export interface ColumnImportance {
  readonly method: ExplainFacts['method'];
  readonly steps: number;
  readonly baseline: ExplainFacts['baseline'];
  /** Which rows: `test`, `validation`, or a file name. */
  readonly rows: string;
  readonly count: number;
  /** Mean |attribution| per column, in the model's column order. */
  readonly columns: readonly { readonly name: string; readonly meanAbs: number }[];
}

/**
 * Sums |attribution| per column over chunks of rows ([rows, columns] row-major), so a file of any
 * length is summarised in constant memory; `columnImportance` turns the sums into means.
 */
export class AbsoluteSums {
  readonly sums: Float64Array;
  count = 0;

  constructor(readonly columns: number) {
    this.sums = new Float64Array(columns);
  }

  /** Adds one chunk of attributions. */
  add(attributions: ArrayLike<number>, rows: number): void {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < this.columns; c++) this.sums[c]! += Math.abs(attributions[r * this.columns + c]!);
    }
    this.count += rows;
  }
}

/** The global importance of the rows summed in `sums`. */
export function columnImportance(facts: ExplainFacts, sums: AbsoluteSums, rows: string): ColumnImportance {
  return {
    method: facts.method,
    steps: facts.steps,
    baseline: facts.baseline,
    rows,
    count: sums.count,
    columns: facts.columns.map((name, c) => ({ name, meanAbs: sums.count ? sums.sums[c]! / sums.count : 0 })),
  };
}

/** Reads META.importance's JSON; throws ExplainError when it is not a ColumnImportance. */
export function parseImportance(text: string): ColumnImportance {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExplainError('onnx_mlp.importance is not valid JSON', {});
  }
  const v = value as Partial<ColumnImportance>;
  if (
    !Array.isArray(v.columns) ||
    typeof v.count !== 'number' ||
    !v.columns.every((c) => typeof c?.name === 'string' && typeof c.meanAbs === 'number')
  ) {
    throw new ExplainError('onnx_mlp.importance does not hold per-column importances', {});
  }
  return v as ColumnImportance;
}
