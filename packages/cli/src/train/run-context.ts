import type { DeviceChoice, EpochRecord, TrainingArtifacts } from '@onnx-mlp/core';
import type { TensorMap } from '@onnx-mlp/core/model';
import type { PrivacyPlan } from '@onnx-mlp/core/privacy';
import type { KeyObject } from 'node:crypto';
import type { InferenceSession } from 'onnxruntime-node';
import type { TrainConfig } from './config.js';
import type { StoppingOutcome } from './controls.js';
import type { RecordedConfig } from './model-bytes.js';
import type { TrainProgress } from './progress.js';
import type { ResumePoint } from './resume.js';
import type { RunFiles } from './run-files.js';
import type { TrainingData } from './training-data.js';

/** A run once its data is loaded: the settings fitted to the data and the graphs built from them. */
export interface PreparedRun {
  /** The settings: the spec fitted to the data (or the checkpoint's), the schedule's length in steps. */
  readonly config: TrainConfig;
  readonly data: TrainingData;
  /** The class weights the loss uses, resolved against the data's classes; null for none. */
  readonly classWeights: number[] | null;
  readonly artifacts: TrainingArtifacts;
  /** The checkpoint continued from, with --resume. */
  readonly resumed: ResumePoint | undefined;
  /** --sign-key's private key, read before training; null: model.onnx is sealed but not signed. */
  readonly signer: KeyObject | null;
  /** --dp: the private run as it trains (σ, δ, q, the epochs its budget allows); null without. */
  readonly privacy: PrivacyPlan | null;
}

/** A prepared run with its device chosen and its folder open: what every later step reads. */
export interface RunContext {
  readonly run: PreparedRun;
  readonly device: DeviceChoice;
  readonly sessionOptions: InferenceSession.SessionOptions;
  /** The run folder. */
  readonly folder: string;
  readonly files: RunFiles;
  /** What config.json records (also the report's settings). */
  readonly recorded: RecordedConfig;
  readonly progress: TrainProgress;
}

/** What training produced: the model's weights and how early stopping ended. */
export interface TrainedModel {
  readonly history: readonly EpochRecord[];
  /** With early stopping, the best epoch's weights; otherwise the last epoch's. */
  readonly parameters: TensorMap;
  readonly stopping: StoppingOutcome | null;
}
