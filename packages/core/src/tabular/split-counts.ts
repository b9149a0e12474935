import { DataError } from '../errors.js';
import { TabularOptionError } from './settings.js';

/** The rows of the data and how many each held-out part got, with what asked for them. */
export interface SplitCounts {
  readonly file: string;
  /** Rows of the data table. */
  readonly rows: number;
  readonly validation: number;
  readonly test: number;
  readonly valSplit: number | null;
  readonly testSplit: number | null;
  /** Whether separate validation / test tables stand in for the split's parts. */
  readonly valFile: boolean;
  readonly testFile: boolean;
}

/** Refuses a split that leaves a part asked for empty, or nothing to train on. */
export function checkSplitCounts(c: SplitCounts): void {
  if (!c.testFile && c.test < 1)
    throw new TabularOptionError('testSplit', c.testSplit, `leaves no test rows out of the ${c.rows} of ${c.file}`);
  if (!c.valFile && (c.valSplit ?? 0) > 0 && c.validation < 1) {
    throw new TabularOptionError('valSplit', c.valSplit, `leaves no validation rows out of the ${c.rows} of ${c.file}`);
  }
  if (c.rows - c.test - c.validation < 1) {
    throw new DataError(
      `${c.file} has ${c.rows} rows: too few to hold out ${c.test} test and ${c.validation} validation rows and still train`,
      {
        code: 'TOO_FEW_ROWS',
        fields: { file: c.file, rows: c.rows, test: c.test, validation: c.validation },
      },
    );
  }
}

/** The rows each held-out part gets: none where a separate table stands in, else the fraction of `rows`, rounded. */
export function heldOutCounts(
  rows: number,
  o: { valSplit: number | null; testSplit: number | null; valFile: boolean; testFile: boolean },
): { validation: number; test: number } {
  return {
    test: o.testFile ? 0 : Math.round(rows * (o.testSplit ?? 0)),
    validation: o.valFile ? 0 : Math.round(rows * (o.valSplit ?? 0)),
  };
}
