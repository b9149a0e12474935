import type { MlpSpec, TrainStepOptions } from '@onnx-mlp/core';
import {
  resolveClassWeights as coreResolveClassWeights,
  scheduleWithSteps as coreScheduleWithSteps,
  specForData as coreSpecForData,
  stepOptions as coreStepOptions,
} from '@onnx-mlp/core/tabular';
import { cliTabular } from '../data/cli-tabular.js';
import { OptionError } from '../errors.js';
import type { ScheduleConfig, TrainConfig } from './config.js';
import type { TrainingData } from './training-data.js';

export { alreadyStopped, earlyStoppingRule, learningRateSchedule, stoppingOutcome, type StoppingOutcome } from '@onnx-mlp/core/tabular';

/** --class-weights: `balanced`, or one non-negative weight per class ("1,2,3"), not all zero; null when absent. */
export function classWeightsOption(option: string, text: string | undefined): 'balanced' | number[] | null {
  if (text === undefined) return null;
  if (text.trim() === 'balanced') return 'balanced';
  const parts = text.split(',').map((s) => s.trim());
  const weights = parts.map(Number);
  if (parts.some((s) => s === '') || weights.some((w) => !(Number.isFinite(w) && w >= 0))) {
    throw new OptionError(option, text, 'must be "balanced" or comma-separated non-negative numbers, one per class');
  }
  if (weights.every((w) => w === 0)) throw new OptionError(option, text, 'needs at least one weight above 0');
  return weights;
}

/** The MLP for this data: the configured layers, with inputs, outputs and task from the data. */
export function specForData(config: TrainConfig, data: TrainingData): MlpSpec {
  return coreSpecForData(config.spec, data);
}

/**
 * The loss weight of every class (core's resolveClassWeights): `balanced` is scikit-learn's
 * n_rows / (classes * count_c) over the train split; a list must give one weight per class.
 */
export function resolveClassWeights(given: TrainConfig['classWeights'], data: TrainingData): number[] | null {
  return cliTabular(() => coreResolveClassWeights(given, data));
}

/** The options of the training graphs: gradient clipping and class weights, only those set. */
export function stepOptions(config: TrainConfig, classWeights: number[] | null): TrainStepOptions {
  const privacy = config.privacy && { privacy: { clipNorm: config.privacy.clipNorm } };
  return { ...coreStepOptions({ clipNorm: config.clipNorm, classWeights }), ...privacy };
}

/** The schedule with its run length fixed: the saved one on resume, else epochs x batches per epoch. */
export function scheduleWithSteps(s: ScheduleConfig, epochs: number, trainRows: number, batchSize: number): ScheduleConfig {
  return coreScheduleWithSteps(s, { epochs, trainRows, batchSize });
}
