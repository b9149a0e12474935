import { SCALINGS } from '@onnx-mlp/core';
import { IMPUTE_CHOICES, TASK_CHOICES } from '../data/tabular.js';
import type { OptionSpec } from '../options/option-spec.js';
import { columnNames, fraction, integer, naming, oneOf, optional } from '../options/value-checks.js';
import { DEFAULT_SHUFFLE_BUFFER, DEFAULT_TEST_SPLIT, DEFAULT_VAL_SPLIT } from './config.js';

const DATA = 'Data (without --data: the MNIST digits):';

/** The data group of train's option table (TRAIN_OPTIONS): where the rows come from and how they are read and split. */
export const TRAIN_DATA_OPTIONS = [
  {
    name: 'data',
    kind: 'string',
    group: DATA,
    check: optional(naming('file')),
    describe: 'Train on this CSV, TSV, JSON or JSON Lines file (needs --label)',
  },
  {
    name: 'label',
    kind: 'list',
    group: DATA,
    needsData: true,
    check: optional(naming('column')),
    describe: 'The column to predict (regression: several, comma-separated)',
  },
  {
    name: 'task',
    kind: 'string',
    group: DATA,
    needsData: true,
    defaultDescription: '"auto"',
    check: oneOf(TASK_CHOICES),
    describe: `${TASK_CHOICES.join(' | ')} (auto: numbers that are not all integers are regression, two classes binary)`,
  },
  {
    name: 'features',
    kind: 'list',
    group: DATA,
    needsData: true,
    defaultDescription: 'every column but the label',
    check: optional(columnNames),
    describe: 'Feature columns, comma-separated',
  },
  {
    name: 'exclude',
    kind: 'list',
    group: DATA,
    needsData: true,
    check: optional(columnNames),
    describe: 'Columns to leave out, comma-separated (not with --features)',
  },
  {
    name: 'categorical',
    kind: 'list',
    group: DATA,
    needsData: true,
    check: optional(columnNames),
    describe: 'Columns that look numeric but are categories (codes), comma-separated',
  },
  {
    name: 'scaling',
    kind: 'string',
    group: DATA,
    needsData: true,
    defaultDescription: '"standard"',
    check: oneOf(SCALINGS),
    describe: `Numeric columns: ${SCALINGS.join(' | ')}`,
  },
  {
    name: 'impute',
    kind: 'string',
    group: DATA,
    needsData: true,
    defaultDescription: '"mean"',
    check: oneOf(IMPUTE_CHOICES),
    describe: `Missing numbers become the train split's ${IMPUTE_CHOICES.join(' | ')}`,
  },
  {
    name: 'missing-category',
    kind: 'boolean',
    group: DATA,
    needsData: true,
    defaultDescription: 'false',
    describe: 'Missing categories get their own category, not the most frequent one',
  },
  // 0 is allowed with --data (no validation split), not with MNIST: resolveValSplit checks it.
  {
    name: 'val-split',
    kind: 'number',
    group: DATA,
    defaultDescription: `${DEFAULT_VAL_SPLIT} (with --data)`,
    describe: 'Fraction held out for validation (val_*); MNIST: of the 8,000 training digits, only with this or --early-stopping',
  },
  {
    name: 'test-split',
    kind: 'number',
    group: DATA,
    needsData: true,
    defaultDescription: String(DEFAULT_TEST_SPLIT),
    check: fraction(false),
    describe: 'Fraction of --data held out for the final test',
  },
  {
    name: 'val',
    kind: 'string',
    group: DATA,
    needsData: true,
    check: optional(naming('file')),
    describe: 'Validation rows from this file instead of a split (same columns)',
  },
  {
    name: 'test',
    kind: 'string',
    group: DATA,
    needsData: true,
    check: optional(naming('file')),
    describe: 'Test rows from this file instead of a split (same columns)',
  },
  {
    name: 'labels',
    kind: 'string',
    group: DATA,
    needsData: true,
    check: optional(naming('file')),
    describe: 'Labels from this file, one per row of --data (IDX/NPY arrays, e.g. MNIST *-labels-idx1-ubyte)',
  },
  {
    name: 'stream',
    kind: 'boolean',
    group: DATA,
    needsData: true,
    defaultDescription: 'false',
    describe:
      'Data larger than memory: one pass for the statistics, then stream the train rows every epoch (CSV/TSV/JSONL; validation and test rows are kept)',
  },
  {
    name: 'shuffle-buffer',
    kind: 'number',
    group: DATA,
    needsData: true,
    defaultDescription: String(DEFAULT_SHUFFLE_BUFFER),
    check: integer(1),
    describe: 'With --stream: rows shuffled and trained on at a time',
  },
] as const satisfies readonly OptionSpec[];
