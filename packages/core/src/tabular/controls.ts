import type { TrainStepOptions } from '../artifacts/train-step.js';
import type { EpochRecord } from '../artifacts/checkpoint.js';
import { mlpSpec, type MlpSpec, type Task } from '../model/spec.js';
import type { Dataset } from '../training/dataset.js';
import { stoppingStatus, type EarlyStopping } from '../training/early-stopping.js';
import { parseSchedule, type LearningRateSchedule, type SCHEDULES } from '../training/schedule.js';
import { TabularOptionError } from './settings.js';

/** The learning-rate schedule of a run (core's parseSchedule, rate = the optimizer's). */
export interface ScheduleSetting {
  readonly name: (typeof SCHEDULES)[number];
  /** Linear warm-up steps; 0 for none. */
  readonly warmup: number;
  /** Optimizer steps in the whole run: set once the data is loaded. */
  readonly totalSteps?: number;
}

/** Keras' EarlyStopping as a run sets it: monitor val_loss, restore the best weights. */
export interface EarlyStoppingSetting {
  readonly patience: number;
  readonly minDelta: number;
}

/** Per-class loss weights as given: 'balanced', one weight per class in class order, or weights by class name. */
export type ClassWeightsSetting = 'balanced' | readonly number[] | Readonly<Record<string, number>>;

/** The MLP for this data: the configured layers, with inputs, outputs and task from the data. */
export function specForData(spec: MlpSpec, data: { inputs: number; outputs: number; task: Task }): MlpSpec {
  return mlpSpec({ ...spec, inputs: data.inputs, outputs: data.outputs, task: data.task });
}

/** Weights given by class name, in class order; a name that is no class is an error. */
function namedWeights(given: Readonly<Record<string, number>>, names: readonly string[]): unknown[] {
  const unknown = Object.keys(given).find((k) => !names.includes(k));
  if (unknown !== undefined)
    throw new TabularOptionError(
      'classWeights',
      given,
      `${JSON.stringify(unknown)} is not a class; the classes are ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  return names.map((n) => given[n]);
}

/**
 * The loss weight of every class. `balanced` is scikit-learn's: n_rows / (classes * count_c) over the
 * train split (binary: [negative, positive]); a list gives one weight per class, in class order.
 */
export function resolveClassWeights(
  given: ClassWeightsSetting | null,
  data: { classNames: readonly string[] | null; train: Dataset },
): number[] | null {
  if (given === null) return null;
  const names = data.classNames;
  if (names === null) throw new TabularOptionError('classWeights', given, 'weighs classes: it applies to classification, not regression');
  if (given === 'balanced') {
    const counts = new Array<number>(names.length).fill(0);
    for (const y of data.train.targets) counts[y]!++;
    const empty = counts.indexOf(0);
    if (empty >= 0)
      throw new TabularOptionError('classWeights', given, `class ${JSON.stringify(names[empty])} has no rows in the train split`);
    return counts.map((c) => data.train.rows / (names.length * c));
  }
  const listed = Array.isArray(given);
  const weights = listed ? [...(given as readonly number[])] : namedWeights(given as Readonly<Record<string, number>>, names);
  if (listed && weights.length !== names.length) {
    throw new TabularOptionError(
      'classWeights',
      given,
      `gives ${weights.length} weights but the label has ${names.length} classes (${names.map((n) => JSON.stringify(n)).join(', ')}), one weight each in that order`,
    );
  }
  if (weights.some((w) => typeof w !== 'number' || !(Number.isFinite(w) && w >= 0))) {
    throw new TabularOptionError(
      'classWeights',
      given,
      `needs one non-negative weight for each of the ${names.length} classes (${names.map((n) => JSON.stringify(n)).join(', ')})`,
    );
  }
  if (weights.every((w) => w === 0)) throw new TabularOptionError('classWeights', given, 'needs at least one weight above 0');
  return weights as number[];
}

/** The options of the training graphs: gradient clipping and class weights, only those set. */
export function stepOptions(o: { clipNorm: number | null; classWeights: number[] | null }): TrainStepOptions {
  return {
    ...(o.clipNorm !== null ? { clipNorm: o.clipNorm } : {}),
    ...(o.classWeights !== null ? { classWeights: o.classWeights } : {}),
  };
}

/** The schedule with its run length fixed: a saved length as it is, else epochs x batches per epoch. */
export function scheduleWithSteps<S extends ScheduleSetting>(
  s: S,
  run: { epochs: number; trainRows: number; batchSize: number },
): S & { totalSteps: number } {
  return s.totalSteps !== undefined
    ? (s as S & { totalSteps: number })
    : { ...s, totalSteps: run.epochs * Math.ceil(run.trainRows / run.batchSize) };
}

/** The learning rate of every step, or undefined for the optimizer's constant rate (the default). */
export function learningRateSchedule(s: ScheduleSetting, rate: number): LearningRateSchedule | undefined {
  if (s.name === 'constant' && s.warmup === 0) return undefined;
  return parseSchedule({ name: s.name, rate, totalSteps: s.totalSteps ?? 1, warmup: s.warmup });
}

/** core's EarlyStopping for a run's early stopping: val_loss, restoring the best epoch's weights. */
export function earlyStoppingRule(e: EarlyStoppingSetting | null): EarlyStopping | undefined {
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

/** What early stopping decided, from the history (null without early stopping). */
export function stoppingOutcome(e: EarlyStoppingSetting | null, history: readonly EpochRecord[], stopped: boolean): StoppingOutcome | null {
  const rule = earlyStoppingRule(e);
  if (!rule || history.length === 0) return null;
  const { bestEpoch } = stoppingStatus(history, rule, 'val_loss');
  const best = history.find((r) => r.epoch === bestEpoch)!;
  return { stopped, bestEpoch, bestValLoss: best.valLoss!, epochsTrained: history.at(-1)!.epoch, patience: e!.patience };
}

/** Whether a saved run already ended on its early-stopping rule (it cannot be continued). */
export function alreadyStopped(e: EarlyStoppingSetting | null, history: readonly EpochRecord[]): boolean {
  const rule = earlyStoppingRule(e);
  return rule !== undefined && history.length > 0 && stoppingStatus(history, rule, 'val_loss').stop;
}
