import {
  mlpSpec, parseSchedule, type EarlyStopping, type EpochRecord, type LearningRateSchedule, type MlpSpec,
  type TrainStepOptions,
} from '@onnx-mlp/core';
import { stoppingStatus } from '@onnx-mlp/core/training';
import { OptionError } from '../errors.js';
import type { EarlyStoppingConfig, ScheduleConfig, TrainConfig } from './config.js';
import type { TrainingData } from './training-data.js';

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
  return mlpSpec({ ...config.spec, inputs: data.inputs, outputs: data.outputs, task: data.task });
}

/**
 * The loss weight of every class. `balanced` is scikit-learn's: n_rows / (classes * count_c) over the
 * train split (binary: [negative, positive]); a list must give one weight per class.
 */
export function resolveClassWeights(given: TrainConfig['classWeights'], data: TrainingData): number[] | null {
  if (given === null) return null;
  const shown = given === 'balanced' ? given : given.join(',');
  if (data.task === 'regression' || data.classNames === null) {
    throw new OptionError('class-weights', shown, 'weighs classes: it applies to classification, not regression');
  }
  const names = data.classNames;
  if (given !== 'balanced') {
    if (given.length !== names.length) {
      throw new OptionError('class-weights', shown, `gives ${given.length} weights but the label has ${names.length} classes (${names.map((n) => JSON.stringify(n)).join(', ')}), one weight each in that order`);
    }
    return [...given];
  }
  const counts = new Array<number>(names.length).fill(0);
  for (const y of data.train.targets) counts[y]!++;
  const empty = counts.findIndex((c) => c === 0);
  if (empty >= 0) throw new OptionError('class-weights', shown, `class ${JSON.stringify(names[empty])} has no rows in the train split`);
  return counts.map((c) => data.train.rows / (names.length * c));
}

/** The options of the training graphs: gradient clipping and class weights, only those set. */
export function stepOptions(config: TrainConfig, classWeights: number[] | null): TrainStepOptions {
  return {
    ...(config.clipNorm !== null ? { clipNorm: config.clipNorm } : {}),
    ...(classWeights !== null ? { classWeights } : {}),
  };
}

/** The schedule with its run length fixed: the saved one on resume, else epochs x batches per epoch. */
export function scheduleWithSteps(s: ScheduleConfig, epochs: number, trainRows: number, batchSize: number): ScheduleConfig {
  return s.totalSteps !== undefined ? s : { ...s, totalSteps: epochs * Math.ceil(trainRows / batchSize) };
}

/** The learning rate of every step, or undefined for the optimizer's constant rate (the default). */
export function learningRateSchedule(s: ScheduleConfig, rate: number): LearningRateSchedule | undefined {
  if (s.name === 'constant' && s.warmup === 0) return undefined;
  return parseSchedule({ name: s.name, rate, totalSteps: s.totalSteps ?? 1, warmup: s.warmup });
}

/** core's EarlyStopping for --early-stopping: val_loss, restoring the best epoch's weights. */
export function earlyStoppingRule(e: EarlyStoppingConfig | null): EarlyStopping | undefined {
  return e === null ? undefined : { monitor: 'val_loss', patience: e.patience, minDelta: e.minDelta, restoreBestWeights: true };
}

/** How early stopping ended a run: the epoch whose weights the model has. */
export interface StoppingOutcome {
  readonly stopped: boolean;
  readonly bestEpoch: number;
  readonly bestValLoss: number;
  readonly epochsTrained: number;
  readonly patience: number;
}

/** What early stopping decided, from the history (null without --early-stopping). */
export function stoppingOutcome(e: EarlyStoppingConfig | null, history: readonly EpochRecord[], stopped: boolean): StoppingOutcome | null {
  const rule = earlyStoppingRule(e);
  if (!rule || history.length === 0) return null;
  const { bestEpoch } = stoppingStatus(history, rule, 'val_loss');
  const best = history.find((r) => r.epoch === bestEpoch)!;
  return { stopped, bestEpoch, bestValLoss: best.valLoss!, epochsTrained: history.at(-1)!.epoch, patience: e!.patience };
}

/** Whether a saved run already ended on its early-stopping rule (it cannot be continued). */
export function alreadyStopped(e: EarlyStoppingConfig | null, history: readonly EpochRecord[]): boolean {
  const rule = earlyStoppingRule(e);
  return rule !== undefined && history.length > 0 && stoppingStatus(history, rule, 'val_loss').stop;
}
