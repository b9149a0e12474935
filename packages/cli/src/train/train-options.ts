import { ACTIVATIONS, DEVICES, INITIALIZERS, OPTIMIZERS } from '@onnx-mlp/core';
import type { ArgsOf, OptionSpec, ValueCheck } from '../options/option-spec.js';
import { integer, layerWidths, naming, oneOf, optional } from '../options/value-checks.js';
import { TRAIN_CARD_OPTIONS } from './train-options-card.js';
import { TRAIN_CONTROL_OPTIONS } from './train-options-controls.js';
import { TRAIN_DATA_OPTIONS } from './train-options-data.js';
import { TRAIN_DATA_QUALITY_OPTIONS } from './train-options-data-quality.js';
import { TRAIN_FAIRNESS_OPTIONS } from './train-options-fairness.js';
import { TRAIN_PRIVACY_OPTIONS } from './train-options-privacy.js';
import { TRAIN_PROFILE_OPTIONS } from './train-options-profile.js';

const RUN = 'Options:';

/** The run group of train's option table: the model, the optimizer, the device and where the run is written. */
const TRAIN_RUN_OPTIONS = [
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
    name: 'sign-key',
    kind: 'string',
    group: RUN,
    check: optional(naming('file')),
    describe: "Sign model.onnx's integrity digest with this Ed25519 private key (onnx-mlp keygen)",
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
] as const satisfies readonly OptionSpec[];

/**
 * Every option of `onnx-mlp train`, in --help order: the run, data and training-controls groups.
 * yargs' declaration, the --config file check, the options --resume accepts (and its help) and
 * TrainArgs are derived from it. Options without a `check` are checked by core (mlpSpec,
 * optimizerConfig), against other options, or not at all.
 */
export const TRAIN_OPTIONS = [
  ...TRAIN_RUN_OPTIONS,
  ...TRAIN_DATA_OPTIONS,
  ...TRAIN_DATA_QUALITY_OPTIONS,
  ...TRAIN_CONTROL_OPTIONS,
  ...TRAIN_FAIRNESS_OPTIONS,
  ...TRAIN_CARD_OPTIONS,
  ...TRAIN_PRIVACY_OPTIONS,
  ...TRAIN_PROFILE_OPTIONS,
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
