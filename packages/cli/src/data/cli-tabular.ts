import { DataError } from '@onnx-mlp/core';
import { TabularOptionError, type TabularHints } from '@onnx-mlp/core/tabular';
import { OptionError, UserError } from '../errors.js';

/** Core's tabular advice worded with the CLI's flags. */
export const CLI_HINTS: TabularHints = {
  exclude: (column) => `--exclude ${column}`,
  categorical: (column) => `--categorical ${column}`,
  regressionTask: '; use --task regression or auto',
  task: (task) => `--task ${task}`,
  maxCategories: '--max-categories N',
};

/** Core's data problems that the CLI reports as its own user errors (no file, line or column to name). */
const USER_ERROR_CODES = new Set(['NO_FEATURE_COLUMNS', 'TOO_FEW_ROWS']);

/** `testSplit` -> `test-split`: a tabular setting's key as the flag that sets it. */
function flagName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Runs core's tabular pipeline, wording its setting errors as the flags that set them (`--test-split 0.001: …`). */
export function cliTabular<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof TabularOptionError) throw new OptionError(flagName(e.field), e.value, e.reason);
    if (e instanceof DataError && USER_ERROR_CODES.has(e.code)) throw new UserError(e.message);
    throw e;
  }
}
