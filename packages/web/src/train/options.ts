import {
  InvalidArgumentError,
  SCALINGS,
  SCHEDULES,
  mlpSpec,
  optimizerConfig,
  type EpochRecord,
  type MlpSpec,
  type OptimizerConfig,
  type Scaling,
  type Task,
} from '@onnx-mlp/core';
import type { PrivacyRequest } from '@onnx-mlp/core/privacy';
import { DEFAULT_MAX_CATEGORIES, NONFINITE_CHOICES, type TabularSettings } from '@onnx-mlp/core/tabular';
import { WebTrainError } from '../errors.js';
import type { OrtModule, WasmPaths, WasmPathsByBackend } from '../runtime.js';
import type { CardStatements } from '@onnx-mlp/core/artifacts';

/** Rows given as arrays: column names and one array of cells per row. */
export interface ArrayData {
  columns: string[];
  rows: unknown[][];
}

/** The events `train` streams, TF.js-style. */
export interface TrainEvents {
  onTrainBegin?(e: { rows: { train: number; val: number; test: number }; columns: string[]; classes: string[] | null }): void;
  /** `epsilon`: with dp, the privacy spent so far. */
  onEpochEnd?(e: {
    epoch: number;
    loss: number;
    accuracy?: number;
    valLoss?: number;
    valAccuracy?: number;
    seconds: number;
    epsilon?: number;
  }): void;
  /** At most every ~100 ms (and for the last batch of every epoch). */
  onBatchEnd?(e: { epoch: number; batch: number; batches: number; loss: number }): void;
  onTrainEnd?(e: { epochs: number; testAccuracy?: number; testMetrics: Record<string, number> }): void;
  /** Things worth knowing that are not errors (a column that looks like an identifier, a WebGPU fallback). @defaultValue console.warn */
  onNotice?(message: string): void;
}

/**
 * What to train: the same option names and defaults as `onnx-mlp train --config` keys
 * (`learningRate` stands for the CLI's `lr`; both are accepted).
 */
export interface TrainOptions extends TrainEvents {
  /** CSV/TSV/JSON/JSON Lines text, a Blob/File of it, or arrays. */
  data: string | Blob | ArrayData;
  /** The name messages and the model's metadata give the data. @defaultValue the File's name, else `data` */
  dataName?: string;
  /** @defaultValue from the File's name, else csv (JSON when the text starts with `[`, JSON Lines with `{`) */
  format?: 'csv' | 'tsv' | 'json' | 'jsonl';
  /** The column to predict (regression: several, comma-separated). */
  label: string;
  /** @defaultValue 'auto': numbers that are not all integers are regression, two classes binary */
  task?: Task | 'auto';
  /** Feature columns in this order. @defaultValue every column but the label and `exclude` */
  features?: string[];
  /** @defaultValue [] */
  exclude?: string[];
  /** Columns that look numeric but are categories. @defaultValue [] */
  categorical?: string[];
  /** @defaultValue 'standard' */
  scaling?: Scaling;
  /** @defaultValue 'mean' */
  impute?: 'mean' | 'median';
  /** @defaultValue false */
  missingCategory?: boolean;
  /** A numeric cell that is Infinity or beyond float32: refused, or read as missing. @defaultValue 'error' */
  nonfinite?: 'error' | 'missing';
  /** Leave out rows whose label is missing instead of refusing them. @defaultValue false */
  dropMissingLabel?: boolean;
  /** Categories kept per categorical column, the most frequent first; the rest share one "other" slot. @defaultValue 1000 */
  maxCategories?: number;
  /** @defaultValue [128, 128] */
  hidden?: number[];
  /** @defaultValue 'relu' */
  activation?: MlpSpec['activation'];
  /** @defaultValue 0 */
  dropout?: number;
  /** @defaultValue 'glorot_uniform' */
  init?: MlpSpec['init'];
  /** @defaultValue 10 */
  epochs?: number;
  /** @defaultValue 128 */
  batchSize?: number;
  /** @defaultValue 'adam' */
  optimizer?: 'sgd' | 'adam' | 'adamw';
  /** @defaultValue 0.001 (adam, adamw), 0.01 (sgd) */
  learningRate?: number;
  lr?: number;
  /** sgd only. @defaultValue 0 */
  momentum?: number;
  /** @defaultValue false */
  nesterov?: boolean;
  /** @defaultValue 0 (sgd, adam), 0.01 (adamw) */
  weightDecay?: number;
  /** @defaultValue 'constant' */
  schedule?: (typeof SCHEDULES)[number];
  /** @defaultValue 0 */
  warmup?: number;
  /** @defaultValue off */
  clipNorm?: number;
  /** 'balanced', one weight per class in class order, or weights by class name. @defaultValue off */
  classWeights?: 'balanced' | number[] | Record<string, number>;
  /** Patience in epochs (monitors val_loss, keeps the best epoch's weights). @defaultValue off */
  earlyStopping?: number;
  /** @defaultValue 0 */
  minDelta?: number;
  /** Differential privacy (DP-SGD), as the CLI's --dp: per-example clipping, Gaussian noise, Poisson batches. @defaultValue false */
  dp?: boolean;
  /** Per-example L2 bound C (with dp). @defaultValue 1 */
  dpClip?: number;
  /** Noise multiplier σ (with dp). @defaultValue solved from dpEpsilon, else 1 */
  dpNoise?: number;
  /** ε budget (with dp): σ solved for it, or training stops before exceeding it. @defaultValue no budget */
  dpEpsilon?: number;
  /** The δ of the reported ε (with dp). @defaultValue 1 / training rows */
  dpDelta?: number;
  /** @defaultValue 42 */
  seed?: number;
  /** @defaultValue 0.1 (0: no validation rows) */
  valSplit?: number;
  /** @defaultValue 0.2 */
  testSplit?: number;
  /** @defaultValue 'wasm' */
  backend?: 'wasm' | 'webgpu';
  /** Where ORT's .wasm/.mjs files are served (see loadModel). */
  wasmPaths?: WasmPaths | WasmPathsByBackend;
  /** ORT threads (WASM). @defaultValue 1, or 2 when the page is cross-origin isolated */
  numThreads?: number;
  /** What the model card states (owner, intendedUse, limitations, license), as the CLI's `card` in --config. @defaultValue {} */
  card?: CardStatements;
  /** Cancels training: the promise rejects with a WebTrainError 'aborted' and no model. */
  signal?: AbortSignal;
  /** For tests/advanced: create the worker yourself. @defaultValue new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' }) */
  worker?: () => Worker;
}

/** What training produced. */
export interface TrainResult {
  /** model.onnx: preprocessing inside, the metadata the CLI writes. */
  model: Uint8Array;
  /** The last (or, with early stopping, best) state as an onnx-mlp checkpoint. */
  checkpoint: Uint8Array;
  history: EpochRecord[];
  /** Of the written model on the test split: accuracy (classifiers) or mse/mae/r2 (regression). */
  testMetrics: Record<string, number>;
}

/** The data options of a run, resolved: core's TabularSettings (config.json's `dataset`, as the CLI records it). */
export interface DataSettings extends TabularSettings {
  readonly testSplit: number;
}

/** A run's settings, resolved and checked like the CLI's TrainConfig. */
export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The layers; inputs/outputs/task are set once the data is read. */
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly schedule: { readonly name: (typeof SCHEDULES)[number]; readonly warmup: number };
  readonly clipNorm: number | null;
  readonly classWeights: 'balanced' | readonly number[] | Readonly<Record<string, number>> | null;
  readonly earlyStopping: { readonly patience: number; readonly minDelta: number } | null;
  /** Null: no validation rows. */
  readonly valSplit: number | null;
  readonly dataset: DataSettings;
  /** dp and its settings (σ and δ null until the rows are known), or null. */
  readonly privacy: PrivacyRequest | null;
}

/** The options that the trainer itself takes, not the data. */
export type TrainInThisThreadOptions = TrainOptions & { runtime: OrtModule };

function bad(option: string, value: unknown, reason: string): WebTrainError {
  return new WebTrainError('bad-option', `${option} = ${JSON.stringify(value)}: ${reason}`);
}

function integer(option: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) throw bad(option, value, `must be an integer in [${min}, ${max}]`);
  return value;
}

function fraction(option: string, value: number, allowZero: boolean): number {
  if (!(Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && value < 1))
    throw bad(option, value, `must be a number in ${allowZero ? '[0, 1)' : '(0, 1)'}`);
  return value;
}

function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw bad(option, value, `must be one of ${choices.join(', ')}`);
  return value as T;
}

/** Core's checks (spec, optimizer) as bad-option errors. */
function checked<T>(make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new WebTrainError('bad-option', e.message, { cause: e });
    throw e;
  }
}

function maxCategories(n: number | undefined): number {
  const v = n ?? DEFAULT_MAX_CATEGORIES;
  if (!Number.isInteger(v) || v < 2) throw bad('maxCategories', n, 'must be an integer of at least 2');
  return v;
}

function resolveData(o: TrainOptions): DataSettings {
  if (typeof o.label !== 'string' || o.label.trim() === '') throw bad('label', o.label, 'must name the column to predict');
  if (o.features !== undefined && o.exclude !== undefined) throw bad('exclude', o.exclude, 'cannot be combined with features');
  return {
    label: o.label,
    task: oneOf('task', o.task ?? 'auto', ['auto', 'multiclass', 'binary', 'regression'] as const),
    features: o.features ?? null,
    exclude: o.exclude ?? [],
    categorical: o.categorical ?? [],
    scaling: oneOf('scaling', o.scaling ?? 'standard', SCALINGS),
    impute: oneOf('impute', o.impute ?? 'mean', ['mean', 'median'] as const),
    missingCategory: o.missingCategory ?? false,
    nonfinite: oneOf('nonfinite', o.nonfinite ?? 'error', NONFINITE_CHOICES),
    dropMissingLabel: o.dropMissingLabel ?? false,
    maxCategories: maxCategories(o.maxCategories),
    testSplit: fraction('testSplit', o.testSplit ?? 0.2, false),
  };
}

/** Checks every option and fills the CLI's defaults; the first bad one is a WebTrainError 'bad-option'. */
export function resolveTrainSettings(o: TrainOptions): TrainSettings {
  if (o.lr !== undefined && o.learningRate !== undefined) throw bad('lr', o.lr, 'and learningRate both set the learning rate; give one');
  const dataset = resolveData(o);
  const optimizerName = o.optimizer ?? 'adam';
  if (o.momentum !== undefined && optimizerName !== 'sgd')
    throw bad('momentum', o.momentum, `only optimizer sgd uses momentum (got ${optimizerName})`);
  const spec = checked(() =>
    mlpSpec({
      inputs: 1,
      outputs: 2,
      hidden: o.hidden ?? [128, 128],
      activation: o.activation ?? 'relu',
      dropout: o.dropout ?? 0,
      init: o.init ?? 'glorot_uniform',
    }),
  );
  const optimizer = checked(() =>
    optimizerConfig(optimizerName, {
      learningRate: o.learningRate ?? o.lr,
      momentum: o.momentum,
      weightDecay: o.weightDecay,
      ...(o.nesterov ? { nesterov: true } : {}),
    }),
  );
  if (o.clipNorm !== undefined && !(Number.isFinite(o.clipNorm) && o.clipNorm > 0))
    throw bad('clipNorm', o.clipNorm, 'must be a positive number');
  if (o.minDelta !== undefined && o.earlyStopping === undefined) throw bad('minDelta', o.minDelta, 'only earlyStopping uses it');
  const earlyStopping =
    o.earlyStopping === undefined ? null : { patience: integer('earlyStopping', o.earlyStopping, 1), minDelta: o.minDelta ?? 0 };
  const valSplit = fraction('valSplit', o.valSplit ?? 0.1, true);
  if (earlyStopping && valSplit === 0)
    throw bad('earlyStopping', earlyStopping.patience, 'monitors val_loss and needs validation rows: valSplit above 0');
  if (valSplit + dataset.testSplit >= 1) throw bad('valSplit', valSplit, `with testSplit ${dataset.testSplit} leaves no rows to train on`);
  return {
    epochs: integer('epochs', o.epochs ?? 10, 1),
    batchSize: integer('batchSize', o.batchSize ?? 128, 1),
    // The seed feeds a 32-bit generator, as in the CLI.
    seed: integer('seed', o.seed ?? 42, 0, 2 ** 32 - 1),
    spec,
    optimizer,
    schedule: { name: oneOf('schedule', o.schedule ?? 'constant', SCHEDULES), warmup: integer('warmup', o.warmup ?? 0, 0) },
    clipNorm: o.clipNorm ?? null,
    classWeights: o.classWeights ?? null,
    earlyStopping,
    valSplit: valSplit === 0 ? null : valSplit,
    dataset,
    privacy: resolvePrivacy(o),
  };
}

/** dp's settings, checked as the CLI checks --dp: the dp* options need dp, which refuses classWeights and clipNorm. */
function resolvePrivacy(o: TrainOptions): PrivacyRequest | null {
  const given = { dpClip: o.dpClip, dpNoise: o.dpNoise, dpEpsilon: o.dpEpsilon, dpDelta: o.dpDelta };
  if (!o.dp) {
    const stray = Object.entries(given).find(([, v]) => v !== undefined);
    if (stray) throw bad(stray[0], stray[1], 'only dp uses it');
    return null;
  }
  const positive = (name: string, v: number | undefined, zero = false) => {
    if (v !== undefined && !(Number.isFinite(v) && (zero ? v >= 0 : v > 0)))
      throw bad(name, v, zero ? 'must be a number >= 0' : 'must be a positive number');
    return v ?? null;
  };
  const request = {
    clipNorm: positive('dpClip', o.dpClip) ?? 1,
    noiseMultiplier: positive('dpNoise', o.dpNoise, true),
    epsilon: positive('dpEpsilon', o.dpEpsilon),
    delta: o.dpDelta === undefined ? null : fraction('dpDelta', o.dpDelta, false),
  };
  if (o.classWeights !== undefined)
    throw bad(
      'classWeights',
      o.classWeights,
      'cannot be combined with dp: balanced weights are counts of the private labels, and clipping undoes given ones',
    );
  if (o.clipNorm !== undefined) throw bad('clipNorm', o.clipNorm, 'cannot be combined with dp: dpClip bounds each example instead');
  return request;
}
