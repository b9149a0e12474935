import { OptionError, UserError } from '../errors.js';

/** The rows of --data and how many each held-out part got, with what asked for them. */
export interface SplitCounts {
  readonly file: string;
  /** Rows of --data. */
  readonly rows: number;
  readonly validation: number;
  readonly test: number;
  readonly valSplit: number | null;
  readonly testSplit: number | null;
  /** Whether --val / --test files stand in for the split's parts. */
  readonly valFile: boolean;
  readonly testFile: boolean;
}

/** Refuses a split that leaves a part asked for empty, or nothing to train on. */
export function checkSplitCounts(c: SplitCounts): void {
  if (!c.testFile && c.test < 1) throw new OptionError('test-split', c.testSplit, `leaves no test rows out of the ${c.rows} of ${c.file}`);
  if (!c.valFile && (c.valSplit ?? 0) > 0 && c.validation < 1) {
    throw new OptionError('val-split', c.valSplit, `leaves no validation rows out of the ${c.rows} of ${c.file}`);
  }
  if (c.rows - c.test - c.validation < 1) {
    throw new UserError(`${c.file} has ${c.rows} rows: too few to hold out ${c.test} test and ${c.validation} validation rows and still train`);
  }
}
