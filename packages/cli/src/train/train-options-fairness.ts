import type { OptionSpec } from '../options/option-spec.js';
import { columnNames, nonNegative, optional } from '../options/value-checks.js';
import { DEFAULT_FAIRNESS_THRESHOLD } from './config.js';

const FAIRNESS = 'Per-group metrics:';

/** The per-group (fairness) group of train's option table (TRAIN_OPTIONS): which columns define the groups, when to warn. */
export const TRAIN_FAIRNESS_OPTIONS = [
  {
    name: 'sensitive',
    kind: 'list',
    group: FAIRNESS,
    needsData: true,
    check: optional(columnNames),
    describe:
      'Report metrics per group of these columns on the test split, comma-separated (read from the data even when --exclude leaves them out of the features); stored in model.onnx',
  },
  {
    name: 'fairness-threshold',
    kind: 'number',
    group: FAIRNESS,
    needsData: true,
    defaultDescription: String(DEFAULT_FAIRNESS_THRESHOLD),
    check: nonNegative,
    describe: 'Warn when a demographic-parity or equalized-odds difference between groups exceeds this (classifiers)',
  },
] as const satisfies readonly OptionSpec[];
