// TODO(core): mirrors packages/cli/src/train/controls.ts and run-training.ts's metadata helpers
// (resolveClassWeights, learningRateSchedule, earlyStoppingRule, stoppingOutcome, controlFacts), which
// only import core; they belong in core so that the CLI and the web package write identical metadata.
import {
  parseSchedule, type EarlyStopping, type EpochRecord, type LearningRateSchedule, type TrainingArtifacts, type TrainStepOptions,
} from '@onnx-mlp/core';
import { stoppingStatus } from '@onnx-mlp/core/training';
import { WebTrainError } from '../errors.js';
import type { TrainSettings } from './options.js';
import type { TabularData } from './tabular-data.js';

const bad = (value: unknown, reason: string) => new WebTrainError('bad-option', `classWeights = ${JSON.stringify(value)}: ${reason}`);

/** The loss weight of every class: `balanced` is scikit-learn's n / (classes * count) over the train split. */
export function resolveClassWeights(given: TrainSettings['classWeights'], data: TabularData): number[] | null {
  if (given === null) return null;
  const names = data.classNames;
  if (names === null) throw bad(given, 'weighs classes: it applies to classification, not regression');
  if (given === 'balanced') {
    const counts = new Array<number>(names.length).fill(0);
    for (const y of data.train.features.targets) counts[y]!++;
    const empty = counts.findIndex((c) => c === 0);
    if (empty >= 0) throw bad(given, `class ${JSON.stringify(names[empty])} has no rows in the train split`);
    return counts.map((c) => data.train.features.rows / (names.length * c));
  }
  const weights = Array.isArray(given) ? [...given] : names.map((n) => (given as Record<string, number>)[n]);
  if (!Array.isArray(given)) {
    const unknown = Object.keys(given).find((k) => !names.includes(k));
    if (unknown !== undefined) throw bad(given, `${JSON.stringify(unknown)} is not a class; the classes are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  if (weights.length !== names.length || weights.some((w) => typeof w !== 'number' || !(Number.isFinite(w) && w >= 0))) {
    throw bad(given, `needs one non-negative weight for each of the ${names.length} classes (${names.map((n) => JSON.stringify(n)).join(', ')})`);
  }
  if (weights.every((w) => w === 0)) throw bad(given, 'needs at least one weight above 0');
  return weights as number[];
}

/** The options of the training graphs: gradient clipping and class weights, only those set. */
export function stepOptions(s: TrainSettings, classWeights: number[] | null): TrainStepOptions {
  return { ...(s.clipNorm !== null ? { clipNorm: s.clipNorm } : {}), ...(classWeights !== null ? { classWeights } : {}) };
}

/** The schedule with its length in steps, as the CLI records it. */
export function scheduleWithSteps(s: TrainSettings, trainRows: number): { name: string; warmup: number; totalSteps: number } {
  return { ...s.schedule, totalSteps: s.epochs * Math.ceil(trainRows / s.batchSize) };
}

/** The learning rate of every step, or undefined for the optimizer's constant rate (the default). */
export function learningRateSchedule(s: ReturnType<typeof scheduleWithSteps>, rate: number): LearningRateSchedule | undefined {
  if (s.name === 'constant' && s.warmup === 0) return undefined;
  return parseSchedule({ name: s.name, rate, totalSteps: s.totalSteps, warmup: s.warmup });
}

/** core's EarlyStopping for earlyStopping: val_loss, restoring the best epoch's weights. */
export function earlyStoppingRule(e: TrainSettings['earlyStopping']): EarlyStopping | undefined {
  return e === null ? undefined : { monitor: 'val_loss', patience: e.patience, minDelta: e.minDelta, restoreBestWeights: true };
}

/** Settings beyond the defaults, for the model's training facts (as the CLI's controlFacts). */
export function controlFacts(run: {
  settings: TrainSettings; schedule: ReturnType<typeof scheduleWithSteps>; artifacts: TrainingArtifacts; history: readonly EpochRecord[]; stoppedEarly: boolean;
}): Record<string, unknown> {
  const { settings: s, schedule, artifacts: a, history, stoppedEarly } = run;
  const rule = earlyStoppingRule(s.earlyStopping);
  const bestEpoch = rule && history.length > 0 ? stoppingStatus(history, rule, 'val_loss').bestEpoch : undefined;
  return {
    ...(s.schedule.name !== 'constant' || s.schedule.warmup > 0 ? { schedule } : {}),
    ...(a.options.clipNorm !== undefined ? { clipNorm: a.options.clipNorm } : {}),
    ...(a.options.classWeights !== undefined ? { classWeights: a.options.classWeights } : {}),
    ...(s.earlyStopping ? { earlyStopping: { monitor: 'val_loss', ...s.earlyStopping, restoreBestWeights: true } } : {}),
    ...(bestEpoch !== undefined ? { epochsTrained: history.at(-1)!.epoch, bestEpoch, stoppedEarly } : {}),
  };
}
