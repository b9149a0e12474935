import { ACTIVATIONS, DEVICES, INITIALIZERS, OPTIMIZERS, SCALINGS, SCHEDULES } from '@onnx-mlp/core';
import { IMPUTE_CHOICES, TASK_CHOICES } from '../data/tabular.js';
import type { ArgsOf, OptionSpec, ValueCheck } from '../options/option-spec.js';
import { columnNames, fraction, integer, layerWidths, naming, nonNegative, oneOf, optional, positive } from '../options/value-checks.js';
import { DEFAULT_SHUFFLE_BUFFER, DEFAULT_TEST_SPLIT, DEFAULT_VAL_SPLIT } from './config.js';
import { classWeightsOption } from './controls.js';

const RUN = 'Options:';
const DATA = 'Data (without --data: the MNIST digits):';
const CONTROLS = 'Training controls:';

/**
 * Every option of `onnx-mlp train`, in --help order. yargs' declaration, the --config file check,
 * the options --resume accepts (and its help) and TrainArgs are derived from it. Options without a
 * `check` are checked by core (mlpSpec, optimizerConfig), against other options, or not at all.
 */
export const TRAIN_OPTIONS = [
  {
    name: 'epochs',
    kind: 'number',
    group: RUN,
    default: 10,
    resumable: true,
    check: integer(1),
    describe: 'Passes over the training rows (MNIST: 8,000 digits)',
  },
  { name: 'batch-size', kind: 'number', group: RUN, default: 128, check: integer(1), describe: 'Rows per optimizer step' },
  { name: 'lr', kind: 'number', group: RUN, defaultDescription: '0.001 (adam, adamw), 0.01 (sgd)', describe: 'Learning rate' },
  { name: 'optimizer', kind: 'string', group: RUN, default: 'adam', describe: `Optimizer: ${OPTIMIZERS.join(' | ')}` },
  { name: 'momentum', kind: 'number', group: RUN, defaultDescription: '0', describe: 'Momentum (sgd only)' },
  {
    name: 'hidden',
    kind: 'list',
    group: RUN,
    default: '128,128',
    check: layerWidths,
    describe: 'Hidden layer widths, comma-separated ("" for none)',
  },
  { name: 'activation', kind: 'string', group: RUN, default: 'relu', describe: `Hidden activation: ${ACTIVATIONS.join(' | ')}` },
  { name: 'dropout', kind: 'number', group: RUN, default: 0, describe: 'Fraction of hidden units dropped while training, in [0, 1)' },
  { name: 'init', kind: 'string', group: RUN, default: 'glorot_uniform', describe: `Weight initialiser: ${INITIALIZERS.join(' | ')}` },
  // The seed feeds a 32-bit generator; larger values would silently alias smaller ones.
  {
    name: 'seed',
    kind: 'number',
    group: RUN,
    default: 42,
    check: integer(0, 2 ** 32 - 1),
    describe: 'Seed of the split, initial weights, shuffling and dropout',
  },
  {
    name: 'runs-dir',
    kind: 'string',
    group: RUN,
    default: 'runs',
    check: naming('folder'),
    describe: 'Each run gets the next numbered folder <runs-dir>/<n>/',
  },
  {
    name: 'out',
    kind: 'string',
    group: RUN,
    resumable: true,
    check: optional(naming('file')),
    describe: 'Also write the inference model (.onnx) to this file',
  },
  {
    name: 'report',
    kind: 'string',
    group: RUN,
    resumable: true,
    check: optional(naming('file')),
    describe: 'Write a self-contained HTML report: curves, confusion matrix, settings',
  },
  {
    name: 'force',
    kind: 'boolean',
    group: RUN,
    default: false,
    resumable: true,
    describe: 'Let --out (and --report) replace an existing file',
  },
  {
    name: 'quiet',
    kind: 'boolean',
    group: RUN,
    default: false,
    resumable: true,
    describe: 'No per-epoch lines; only the test accuracy and run folder',
  },
  {
    name: 'json',
    kind: 'boolean',
    group: RUN,
    default: false,
    resumable: true,
    describe: 'Print JSON events instead of text, one object a line: start, epoch (per epoch), end',
  },
  {
    name: 'threads',
    kind: 'number',
    group: RUN,
    default: 2,
    resumable: true,
    check: integer(1, 1024),
    describe: 'ONNX Runtime intra-op threads',
  },
  {
    name: 'resume',
    kind: 'string',
    group: RUN,
    resumable: true,
    inConfigFile: false,
    get describe(): string {
      return `Continue the run in this folder from its last checkpoint (only ${resumeCompanions()
        .map((o) => `--${o}`)
        .join(', ')} may be given with it)`;
    },
  },
  {
    name: 'device',
    kind: 'string',
    group: RUN,
    default: 'cpu',
    resumable: true,
    check: oneOf(DEVICES),
    describe: `Where to train: ${DEVICES.join(' | ')} (auto: CUDA when installed, else the CPU)`,
  },
  {
    name: 'config',
    kind: 'string',
    group: RUN,
    inConfigFile: false,
    describe: 'Read options from a JSON object (camelCase or kebab-case keys); the command line overrides it',
  },
  { name: 'verbose', kind: 'boolean', group: RUN, resumable: true, global: true, describe: 'Print stack traces of errors' },

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

  {
    name: 'schedule',
    kind: 'string',
    group: CONTROLS,
    default: 'constant',
    check: oneOf(SCHEDULES),
    describe: `Learning rate per step: ${SCHEDULES.join(' | ')} (step: x0.1 every third of the run; cosine: to 0 at the last step)`,
  },
  {
    name: 'warmup',
    kind: 'number',
    group: CONTROLS,
    default: 0,
    check: integer(0),
    describe: 'Ramp the learning rate up linearly over this many steps first',
  },
  {
    name: 'weight-decay',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: '0 (sgd, adam), 0.01 (adamw)',
    describe: 'L2 penalty (sgd, adam) or decoupled decay (adamw)',
  },
  { name: 'nesterov', kind: 'boolean', group: CONTROLS, defaultDescription: 'false', describe: 'Nesterov momentum (sgd with --momentum)' },
  {
    name: 'clip-norm',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: 'off',
    check: optional(positive),
    describe: 'Clip the gradients to this global L2 norm',
  },
  {
    name: 'class-weights',
    kind: 'list',
    group: CONTROLS,
    defaultDescription: 'off',
    check: classWeightsOption,
    describe: 'Loss weight per class, comma-separated in class order, or "balanced" (n / (classes x count))',
  },
  {
    name: 'early-stopping',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: 'off',
    check: integer(1),
    describe: "Stop when val_loss has not improved for this many epochs; keep the best epoch's weights",
  },
  {
    name: 'min-delta',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: '0',
    check: nonNegative,
    describe: 'Smallest val_loss decrease that counts as an improvement (with --early-stopping)',
  },
] as const satisfies readonly OptionSpec[];

/** train's options as yargs parses them (camel-cased): the options with a default are always set. */
export type TrainArgs = ArgsOf<typeof TRAIN_OPTIONS>;

type TrainOption = (typeof TRAIN_OPTIONS)[number];
type CheckedOption = Extract<TrainOption, { readonly check: ValueCheck<never, unknown> }>;
type CheckOf<N> = Extract<CheckedOption, { readonly name: N }>['check'];

/** The options --resume accepts (kebab-case, --resume itself included); everything else comes from the run. */
export const RESUMABLE_OPTIONS: readonly string[] = TRAIN_OPTIONS.filter((o) => 'resumable' in o).map((o) => o.name);

/** The options that only mean something with --data. */
export const DATA_ONLY_OPTIONS = TRAIN_OPTIONS.filter((o) => 'needsData' in o).map((o) => o.name);

/** The options that may be given with --resume, besides --resume itself. */
function resumeCompanions(): string[] {
  return RESUMABLE_OPTIONS.filter((name) => name !== 'resume');
}

/** Runs the table's check of option `name` on `value`: the value the run uses, or an OptionError. */
export function checkOption<N extends CheckedOption['name']>(name: N, value: Parameters<CheckOf<N>>[1]): ReturnType<CheckOf<N>> {
  const spec = TRAIN_OPTIONS.find((o) => o.name === name) as OptionSpec;
  return spec.check!(name, value as never) as ReturnType<CheckOf<N>>;
}
