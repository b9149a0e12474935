// @onnx-mlp/core: what a user of the library needs to describe an MLP, train it on an injected ONNX
// Runtime, save and load models and checkpoints, read and preprocess data, and score predictions.
// The layers below have their own entry points: @onnx-mlp/core/ir, /ops, /autodiff, /model, /losses,
// /optimizers, /artifacts, /training, /data, /preprocess, /metrics (see src/entry/).
import './ops/index.js'; // registers the ops and installs them as every GraphBuilder's default op table

// The network and its optimizer.
export { mlpSpec, ACTIVATIONS, TASKS, INITIALIZERS } from './model/spec.js';
export type { MlpSpec, Activation, Task, WeightInit } from './model/spec.js';
export { optimizerConfig, OPTIMIZERS } from './optimizers/optimizer.js';
export type { OptimizerConfig } from './optimizers/optimizer.js';
export { parseSchedule, SCHEDULES } from './training/schedule.js';
export type { ScheduleOptions, LearningRateSchedule } from './training/schedule.js';

// The ONNX models of a run, and training them.
export { buildTrainingArtifacts } from './artifacts/training-artifacts.js';
export type { TrainingArtifacts } from './artifacts/training-artifacts.js';
export type { TrainStepOptions } from './artifacts/train-step.js';
export { buildInferenceModel } from './artifacts/inference-model.js';
export type { InferenceInfo } from './artifacts/inference-model.js';
export { Trainer, initialState } from './training/trainer.js';
export type { TrainerOptions, FitOptions, BatchEvent, TrainingState } from './training/trainer.js';
export type { EpochRecord } from './training/state.js';
export type { EarlyStopping } from './training/early-stopping.js';
export type { Dataset } from './training/dataset.js';
export { trainTestSplit, stratifiedSplit } from './training/split.js';
export type { OrtRuntime } from './training/runtime.js';
export { chooseDevice, DEVICES } from './training/devices.js';
export type { Device, DeviceChoice } from './training/devices.js';

// Saving and loading.
export { encodeModel } from './ir/encode.js';
export { decodeModel } from './ir/decode.js';
export type { Model } from './ir/graph.js';
export { encodeCheckpoint, decodeCheckpoint } from './artifacts/checkpoint.js';
export type { Checkpoint } from './artifacts/checkpoint.js';
export { sealModel, checkIntegrity } from './artifacts/integrity.js';
export type { IntegrityCheck, ModelDigests } from './artifacts/integrity.js';

// Data files and preprocessing.
export { readCsv } from './data/csv.js';
export type { CsvOptions } from './data/csv.js';
export { readJson, readJsonLines } from './data/json.js';
export type { JsonOptions } from './data/json.js';
export { parseIdx } from './data/idx.js';
export { parseNpy } from './data/npy.js';
export type { Table } from './data/table.js';
export { fitPreprocessing } from './preprocess/fit.js';
export type { PreprocessOptions } from './preprocess/fit.js';
export { encodeRecord } from './preprocess/record.js';
export type { RawRecord } from './preprocess/record.js';
export { featureWidth, SCALINGS } from './preprocess/schema.js';
export type { Preprocessing, Scaling } from './preprocess/schema.js';

// Scoring.
export { classificationReport } from './metrics/classification-report.js';
export type { ClassificationReport } from './metrics/classification-report.js';
export { regressionReport } from './metrics/regression.js';
export type { RegressionReport } from './metrics/regression.js';

// Errors: every one is an OnnxMlpError with a stable `code` and structured `fields`.
export { OnnxMlpError, InvalidArgumentError, DataError } from './errors.js';
export type { OnnxMlpErrorOptions, ErrorFields } from './errors.js';
export { DataFormatError } from './data/errors.js';
export { ModelDecodeError } from './ir/decode.js';
export { CheckpointError } from './artifacts/checkpoint.js';
export { TrainingDivergedError } from './training/diverged.js';
export { DeviceUnavailableError } from './training/devices.js';
