// The resolved configuration of a training run (what config.json records) and its defaults; resolve-config.ts builds it.
import type { Device, MlpSpec, OptimizerConfig, SCHEDULES } from '@onnx-mlp/core';
import type { CardStatements } from '@onnx-mlp/core/artifacts';
import type { PrivacyRequest } from '@onnx-mlp/core/privacy';
import type { TabularOptions } from '../data/tabular.js';

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
  /** The Ed25519 private key (PEM) that signs model.onnx's digest, or null. */
  readonly signKey: string | null;
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
  /** --sensitive: per-group metrics on the test split, or null. */
  readonly fairness: FairnessConfig | null;
  /** What the trainer states in the model card (owner, intended use, limitations, license); {} for nothing. */
  readonly card: CardStatements;
  /** --dp and its settings as given (σ solved from the budget once the rows are known), or null. */
  readonly privacy: PrivacyRequest | null;
}

/** Per-group metrics as --sensitive and --fairness-threshold ask for them. */
export interface FairnessConfig {
  /** The columns whose values define the groups. */
  readonly sensitive: readonly string[];
  /** A demographic-parity or equalized-odds difference above this is warned about. */
  readonly threshold: number;
}

/** The default of --fairness-threshold. */
export const DEFAULT_FAIRNESS_THRESHOLD = 0.1;

/** The default rows a --stream run shuffles and trains on at a time. */
export const DEFAULT_SHUFFLE_BUFFER = 65536;

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
    signKey: saved.signKey ?? null,
    fairness: saved.fairness ?? null,
    card: saved.card ?? {},
    privacy: saved.privacy ?? null,
  };
}
