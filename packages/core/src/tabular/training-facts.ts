import type { TrainStepOptions } from '../artifacts/train-step.js';
import type { Task } from '../model/spec.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { labelUnitLossFactor, type TargetScaling } from '../preprocess/target-scaling.js';
import type { EarlyStoppingSetting, ScheduleSetting, StoppingOutcome } from './controls.js';
import type { TabularData } from './tabular-data.js';
import type { ExcludedColumn } from './columns.js';

/** A model's score on the test split: accuracy (classifiers) or MSE, MAE and R² (regression). */
export type TestScore = { readonly accuracy: number } | { readonly mse: number; readonly mae: number; readonly r2: number };

/** What model.onnx's training metadata says about a tabular run's data, in memory or streamed alike. */
export function tabularDataFacts(
  file: string,
  d: {
    labels: readonly string[];
    task: Task;
    preprocessing: Preprocessing;
    targetScaling?: TargetScaling | null;
    droppedRows?: number;
    excluded?: readonly ExcludedColumn[];
  },
): Record<string, unknown> {
  const ts = d.targetScaling ?? null;
  return {
    file,
    label: d.labels.length === 1 ? d.labels[0] : d.labels,
    task: d.task,
    features: d.preprocessing.columns.map((c) => c.name),
    ...(d.excluded?.length ? { excludedColumns: d.excluded } : {}),
    ...(d.droppedRows ? { droppedUnlabelledRows: d.droppedRows } : {}),
    ...(ts ? { targetScaling: ts, lossUnits: labelUnitLossFactor(ts) !== null ? 'label' : 'standardized' } : {}),
  };
}

/**
 * The data facts of an in-memory table run (the CLI's and the web package's `train` alike):
 * what `tabularDataFacts` says, how the rows were split, and how many each split has.
 */
export function splitTableFacts(
  file: string,
  d: TabularData,
  split: { seed: number; valFile?: string; testFile?: string },
): Record<string, unknown> {
  const fromFiles = split.valFile !== undefined && split.testFile !== undefined;
  return {
    ...tabularDataFacts(file, d),
    ...(split.valFile !== undefined ? { valFile: split.valFile } : {}),
    ...(split.testFile !== undefined ? { testFile: split.testFile } : {}),
    split: fromFiles ? 'files' : `${d.task === 'regression' ? 'random' : 'stratified'}, seed ${split.seed}`,
    trainRows: d.train.raw.rows,
    valRows: d.validation?.raw.rows ?? 0,
    testRows: d.test.raw.rows,
  };
}

/** Settings beyond the defaults, for the model's training facts (a default run's metadata stays as it was). */
export function controlFacts(c: {
  schedule: ScheduleSetting;
  earlyStopping: EarlyStoppingSetting | null;
  options: TrainStepOptions;
  stopping: StoppingOutcome | null;
}): Record<string, unknown> {
  const s = c.schedule;
  return {
    ...(s.name !== 'constant' || s.warmup > 0 ? { schedule: s } : {}),
    ...(c.options.clipNorm !== undefined ? { clipNorm: c.options.clipNorm } : {}),
    ...(c.options.classWeights !== undefined ? { classWeights: c.options.classWeights } : {}),
    ...(c.earlyStopping ? { earlyStopping: { monitor: 'val_loss', ...c.earlyStopping, restoreBestWeights: true } } : {}),
    ...(c.stopping ? { epochsTrained: c.stopping.epochsTrained, bestEpoch: c.stopping.bestEpoch, stoppedEarly: c.stopping.stopped } : {}),
  };
}

/** The test score as `onnx_mlp.training` records it (a tabular classifier also names its metric). */
export function testFacts(test: TestScore, tabular: boolean): Record<string, unknown> {
  if ('accuracy' in test) return { ...(tabular ? { metric: 'accuracy' } : {}), testAccuracy: test.accuracy };
  return { metric: 'mse', testMse: test.mse, testMae: test.mae, testR2: test.r2 };
}

/** The parts of `onnx_mlp.training`, in the order every onnx-mlp front end writes them. */
export interface TrainingFactsParts {
  /** The data line. */
  readonly description: string;
  /** What the data was (tabularDataFacts, split, row counts). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: unknown;
  readonly seed: number;
  /** controlFacts. */
  readonly controls: Readonly<Record<string, unknown>>;
  /** testFacts once the score is known. */
  readonly test?: Readonly<Record<string, unknown>>;
  /** Who made the model: `onnx-mlp <version>`, `@onnx-mlp/web <version>`. */
  readonly producer: string;
}

/** model.onnx's `onnx_mlp.training` metadata: the same keys in the same order from the CLI and the browser. */
export function trainingFacts(p: TrainingFactsParts): Record<string, unknown> {
  return {
    data: p.description,
    ...p.data,
    epochs: p.epochs,
    batchSize: p.batchSize,
    optimizer: p.optimizer,
    seed: p.seed,
    ...p.controls,
    ...(p.test ?? {}),
    producer: p.producer,
  };
}
