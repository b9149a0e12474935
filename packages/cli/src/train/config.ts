import {
  DEVICES, Device, MlpSpec, OptimizerConfig, SCALINGS, SCHEDULES, mlpSpec, optimizerConfig, type Scaling, type Task,
} from '@onnx-mlp/core';
import { OptionError } from '../errors.js';
import { asOptions } from '../options/core-field.js';
import { integerOption, parseWidths } from '../options/numbers.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../data/mnist-split.js';
import { IMPUTE_CHOICES, TASK_CHOICES, type TabularOptions } from '../data/tabular.js';

/** `onnx-mlp train`'s options as parsed from the command line (camel-cased by yargs). */
export interface TrainArgs {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr?: number | undefined;
  readonly optimizer: string;
  readonly momentum?: number | undefined;
  readonly hidden: string;
  readonly activation: string;
  readonly dropout: number;
  readonly init: string;
  readonly seed: number;
  readonly runsDir: string;
  readonly out?: string | undefined;
  readonly report?: string | undefined;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly threads: number;
  readonly device: string;
  readonly verbose?: boolean;
  readonly resume?: string | undefined;
  // Tabular data (without --data: the MNIST digits).
  readonly data?: string | undefined;
  readonly label?: string | undefined;
  readonly task?: string | undefined;
  readonly features?: string | undefined;
  readonly exclude?: string | undefined;
  readonly categorical?: string | undefined;
  readonly scaling?: string | undefined;
  readonly impute?: string | undefined;
  readonly missingCategory?: boolean | undefined;
  readonly valSplit?: number | undefined;
  readonly testSplit?: number | undefined;
  readonly val?: string | undefined;
  readonly test?: string | undefined;
  readonly labels?: string | undefined;
  readonly stream?: boolean | undefined;
  readonly shuffleBuffer?: number | undefined;
  // Training controls.
  readonly schedule?: string | undefined;
  readonly warmup?: number | undefined;
  readonly weightDecay?: number | undefined;
  readonly nesterov?: boolean | undefined;
  readonly clipNorm?: number | undefined;
  readonly classWeights?: string | undefined;
  readonly earlyStopping?: number | undefined;
  readonly minDelta?: number | undefined;
}

/** The learning-rate schedule of a run (core's parseSchedule, rate = the optimizer's). */
export interface ScheduleConfig {
  readonly name: (typeof SCHEDULES)[number];
  /** Linear warm-up steps; 0 for none. */
  readonly warmup: number;
  /** Optimizer steps in the whole run (cosine anneals over them, step decays every third): set once the data is loaded. */
  readonly totalSteps?: number;
}

/** Keras' EarlyStopping as `--early-stopping` sets it: monitor val_loss, restore the best weights. */
export interface EarlyStoppingConfig {
  readonly patience: number;
  readonly minDelta: number;
}

/** The default fraction of rows held out for validation (tabular data, and MNIST with --early-stopping). */
export const DEFAULT_VAL_SPLIT = 0.1;
/** The default fraction of a tabular file held out for the test split. */
export const DEFAULT_TEST_SPLIT = 0.2;

/** A training run fully resolved and checked: what config.json records. */
export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly threads: number;
  /** The architecture; with --data, inputs/outputs/task are set from the data once it is read. */
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly runsDir: string;
  readonly out: string | null;
  /** Where to write the HTML training report, or null. */
  readonly report: string | null;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly device: Device;
  readonly verbose: boolean;
  /** The run folder to continue, or null for a new run. */
  readonly resume: string | null;
  /** --data and its options; null: the MNIST digits. */
  readonly dataset: TabularOptions | null;
  /**
   * Fraction held out for validation (val_*): of a tabular file's rows, or of MNIST's 8,000 training
   * digits. Null: no validation split (MNIST then reports val_* on its test split; a tabular run has
   * a --val file).
   */
  readonly valSplit: number | null;
  readonly schedule: ScheduleConfig;
  /** Global gradient-norm clipping, or null. */
  readonly clipNorm: number | null;
  /** Per-class loss weights as given: 'balanced', one weight per class, or null. */
  readonly classWeights: 'balanced' | readonly number[] | null;
  readonly earlyStopping: EarlyStoppingConfig | null;
}

/** The options that only mean something with --data. */
const DATA_ONLY = ['label', 'labels', 'task', 'features', 'exclude', 'categorical', 'scaling', 'impute', 'missingCategory', 'testSplit', 'val', 'test', 'stream', 'shuffleBuffer'] as const;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A comma-separated list of column names ("a,b"); each name non-empty. */
export function parseNames(option: string, text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new OptionError(option, text, 'must be comma-separated column names, none empty');
  return names;
}

function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new OptionError(option, value, `must be one of ${choices.join(', ')}`);
  return value as T;
}

function fraction(option: string, value: number, allowZero: boolean): number {
  if (!(Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && value < 1)) {
    throw new OptionError(option, value, `must be a number in ${allowZero ? '[0, 1)' : '(0, 1)'}`);
  }
  return value;
}

function fileName(option: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (value.trim() === '') throw new OptionError(option, value, 'must name a file');
  return value;
}

/** --class-weights: `balanced`, or one non-negative weight per class ("1,2,3"), not all zero. */
function parseClassWeights(text: string | undefined): 'balanced' | number[] | null {
  if (text === undefined) return null;
  if (text.trim() === 'balanced') return 'balanced';
  const parts = text.split(',').map((s) => s.trim());
  const weights = parts.map(Number);
  if (parts.some((s) => s === '') || weights.some((w) => !(Number.isFinite(w) && w >= 0))) {
    throw new OptionError('class-weights', text, 'must be "balanced" or comma-separated non-negative numbers, one per class');
  }
  if (weights.every((w) => w === 0)) throw new OptionError('class-weights', text, 'needs at least one weight above 0');
  return weights;
}

/** --data and the options that go with it. */
function resolveDataset(args: TrainArgs): TabularOptions | null {
  const data = fileName('data', args.data);
  if (data === null) {
    const stray = DATA_ONLY.find((k) => args[k] !== undefined && args[k] !== false);
    if (stray) throw new OptionError(kebab(stray), args[stray], 'needs --data (without it, train uses the MNIST digits)');
    return null;
  }
  if (args.features !== undefined && args.exclude !== undefined) {
    throw new OptionError('exclude', args.exclude, 'cannot be combined with --features (name the features, or the columns to leave out)');
  }
  if (args.label !== undefined && args.label.trim() === '') throw new OptionError('label', args.label, 'must name a column');
  const val = fileName('val', args.val);
  const test = fileName('test', args.test);
  if (test !== null && args.testSplit !== undefined) throw new OptionError('test-split', args.testSplit, 'cannot be combined with --test FILE');
  const testSplit = test !== null ? null : fraction('test-split', args.testSplit ?? DEFAULT_TEST_SPLIT, false);
  const stream = streamOptions(args, val, test);
  const labels = fileName('labels', args.labels);
  if (labels !== null && (val !== null || test !== null)) {
    throw new OptionError('labels', labels, 'cannot be combined with --val/--test files (use --val-split / --test-split)');
  }
  if (labels !== null && stream) throw new OptionError('labels', labels, 'cannot be combined with --stream');
  return {
    file: data,
    labels,
    // A labels file gives the column its name: `label` unless --label says otherwise.
    label: args.label ?? (labels !== null ? 'label' : null),
    task: oneOf('task', args.task ?? 'auto', TASK_CHOICES) as Task | 'auto',
    features: args.features === undefined ? null : parseNames('features', args.features),
    exclude: args.exclude === undefined ? [] : parseNames('exclude', args.exclude),
    categorical: args.categorical === undefined ? [] : parseNames('categorical', args.categorical),
    scaling: oneOf('scaling', args.scaling ?? 'standard', SCALINGS) as Scaling,
    impute: oneOf('impute', args.impute ?? 'mean', IMPUTE_CHOICES),
    missingCategory: args.missingCategory ?? false,
    testSplit,
    val,
    test,
    ...(stream ? { stream } : {}),
  };
}

/** The default rows a --stream run shuffles and trains on at a time. */
export const DEFAULT_SHUFFLE_BUFFER = 65536;

/** --stream and --shuffle-buffer; null without --stream. */
function streamOptions(args: TrainArgs, val: string | null, test: string | null): { readonly shuffleBuffer: number } | null {
  if (!args.stream) {
    if (args.shuffleBuffer !== undefined) throw new OptionError('shuffle-buffer', args.shuffleBuffer, 'only --stream uses it');
    return null;
  }
  if (args.impute === 'median') {
    throw new OptionError('impute', 'median', 'cannot be used with --stream: the exact median needs every value in memory; use --impute mean');
  }
  if (val !== null || test !== null) throw new OptionError(val !== null ? 'val' : 'test', val ?? test, 'cannot be combined with --stream (use --val-split / --test-split)');
  if (args.label !== undefined && args.label.includes(',')) throw new OptionError('label', args.label, '--stream takes a single label column');
  return { shuffleBuffer: integerOption('shuffle-buffer', args.shuffleBuffer ?? DEFAULT_SHUFFLE_BUFFER, 1) };
}

/** Checks every option and builds the spec and optimizer; throws OptionError on the first bad one. */
export function resolveTrainConfig(args: TrainArgs): TrainConfig {
  const epochs = integerOption('epochs', args.epochs, 1);
  const batchSize = integerOption('batch-size', args.batchSize, 1);
  // The seed feeds a 32-bit generator; larger values would silently alias smaller ones.
  const seed = integerOption('seed', args.seed, 0, 2 ** 32 - 1);
  const threads = integerOption('threads', args.threads, 1, 1024);
  const hidden = parseWidths('hidden', args.hidden);
  const dataset = resolveDataset(args);
  // With --data, the widths and task come from the data; a placeholder checks the other fields now.
  const spec = asOptions({
    hidden: { option: 'hidden', value: args.hidden },
    activation: { option: 'activation', value: args.activation },
    dropout: { option: 'dropout', value: args.dropout },
    init: { option: 'init', value: args.init },
  }, () => mlpSpec({
    inputs: dataset ? 1 : MNIST_PIXELS,
    hidden,
    outputs: dataset ? 2 : MNIST_CLASSES,
    task: 'multiclass',
    activation: args.activation as MlpSpec['activation'],
    dropout: args.dropout,
    init: args.init as MlpSpec['init'],
  }));
  if (args.momentum !== undefined && args.optimizer !== 'sgd') {
    throw new OptionError('momentum', args.momentum, `only --optimizer sgd uses momentum (got --optimizer ${args.optimizer})`);
  }
  if (args.nesterov && args.optimizer !== 'sgd') {
    throw new OptionError('nesterov', true, `only --optimizer sgd has Nesterov momentum (got --optimizer ${args.optimizer})`);
  }
  const optimizer = asOptions({
    optimizer: { option: 'optimizer', value: args.optimizer },
    learningRate: { option: 'lr', value: args.lr },
    momentum: { option: 'momentum', value: args.momentum },
    weightDecay: { option: 'weight-decay', value: args.weightDecay },
    nesterov: { option: 'nesterov', value: args.nesterov },
  }, () => optimizerConfig(args.optimizer, {
    learningRate: args.lr, momentum: args.momentum, weightDecay: args.weightDecay, ...(args.nesterov ? { nesterov: true } : {}),
  }));
  if (args.runsDir.trim() === '') throw new OptionError('runs-dir', args.runsDir, 'must name a folder');
  const out = args.out === undefined ? null : args.out;
  if (out !== null && out.trim() === '') throw new OptionError('out', out, 'must name a file');
  const report = args.report === undefined ? null : args.report;
  if (report !== null && report.trim() === '') throw new OptionError('report', report, 'must name a file');
  if (!(DEVICES as readonly string[]).includes(args.device)) throw new OptionError('device', args.device, `must be one of ${DEVICES.join(', ')}`);

  const schedule: ScheduleConfig = {
    name: oneOf('schedule', args.schedule ?? 'constant', SCHEDULES),
    warmup: integerOption('warmup', args.warmup ?? 0, 0),
  };
  if (args.clipNorm !== undefined && !(Number.isFinite(args.clipNorm) && args.clipNorm > 0)) {
    throw new OptionError('clip-norm', args.clipNorm, 'must be a positive number');
  }
  const classWeights = parseClassWeights(args.classWeights);
  if (classWeights === 'balanced' && dataset?.stream) throw new OptionError('class-weights', 'balanced', 'cannot be combined with --stream: give one weight per class');
  if (args.minDelta !== undefined && args.earlyStopping === undefined) {
    throw new OptionError('min-delta', args.minDelta, 'only --early-stopping uses it');
  }
  if (args.minDelta !== undefined && !(Number.isFinite(args.minDelta) && args.minDelta >= 0)) {
    throw new OptionError('min-delta', args.minDelta, 'must be a number >= 0');
  }
  const earlyStopping = args.earlyStopping === undefined ? null
    : { patience: integerOption('early-stopping', args.earlyStopping, 1), minDelta: args.minDelta ?? 0 };

  // Validation rows: a fraction of the data, unless a --val file gives them. MNIST keeps reporting
  // val_* on its test split unless asked for a validation split (early stopping needs one: choosing
  // the epoch on the test split would make it a validation set).
  if (dataset?.val && args.valSplit !== undefined) throw new OptionError('val-split', args.valSplit, 'cannot be combined with --val FILE');
  let valSplit: number | null = null;
  if (args.valSplit !== undefined) valSplit = fraction('val-split', args.valSplit, dataset !== null);
  else if (dataset ? !dataset.val : earlyStopping !== null) valSplit = DEFAULT_VAL_SPLIT;
  if (dataset && !dataset.val && valSplit === 0) valSplit = null;
  if (earlyStopping && valSplit === null && !dataset?.val) {
    throw new OptionError('early-stopping', earlyStopping.patience, 'monitors val_loss and needs validation rows: --val-split above 0 or --val FILE');
  }
  if (dataset && valSplit !== null && dataset.testSplit !== null && valSplit + dataset.testSplit >= 1) {
    throw new OptionError('val-split', valSplit, `with --test-split ${dataset.testSplit} leaves no rows to train on`);
  }
  return {
    epochs, batchSize, seed, threads, spec, optimizer, runsDir: args.runsDir, out, report, force: args.force, quiet: args.quiet,
    device: args.device as Device, verbose: args.verbose ?? false, resume: args.resume ?? null,
    dataset, valSplit, schedule, clipNorm: args.clipNorm ?? null, classWeights, earlyStopping,
  };
}

/** Fills what a config.json written before an option existed lacks, so older runs resume as they were. */
export function withDefaults(saved: TrainConfig): TrainConfig {
  return {
    ...saved,
    dataset: saved.dataset ?? null,
    valSplit: saved.valSplit ?? null,
    schedule: saved.schedule ?? { name: 'constant', warmup: 0 },
    clipNorm: saved.clipNorm ?? null,
    classWeights: saved.classWeights ?? null,
    earlyStopping: saved.earlyStopping ?? null,
  };
}
