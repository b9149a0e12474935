// @onnx-mlp/core/training: the Trainer, which runs the artifacts on an injected ONNX Runtime, and
// what it works with: datasets and splits, schedules, early stopping, devices.
import '../ops/index.js'; // the trainer builds its artifacts' graphs
export { Trainer, TrainingDivergedError, initialState } from '../training/trainer.js';
export type { TrainingState, FitOptions, FitChunksOptions, BatchEvent, TrainerOptions } from '../training/trainer.js';
export type { EpochRecord } from '../training/state.js';
export type { Evaluation } from '../training/evaluate.js';
export type { OrtRuntime } from '../training/runtime.js';
export * from '../training/dataset.js';
export * from '../training/schedule.js';
export { trainTestSplit, stratifiedSplit, holdOut } from '../training/split.js';
export { privateSampling } from '../training/private-epoch.js';
export type { PrivateFit } from '../training/private-epoch.js';
export { stoppingStatus } from '../training/early-stopping.js';
export type { EarlyStopping, StoppingStatus } from '../training/early-stopping.js';
export { chooseDevice, DeviceUnavailableError, DEVICES } from '../training/devices.js';
export type { Device, DeviceChoice, DeviceFailure } from '../training/devices.js';
