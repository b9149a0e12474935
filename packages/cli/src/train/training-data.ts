import type { SensitiveValues } from '@onnx-mlp/core/metrics';
import { featureWidth, stratifiedSplit, type Dataset, type Preprocessing, type Task } from '@onnx-mlp/core';
import type { TargetScaling } from '@onnx-mlp/core/preprocess';
import { splitTableFacts, tabularDataFacts } from '@onnx-mlp/core/tabular';
import { MNIST_CLASSES, MNIST_CLASS_NAMES, MNIST_PIXELS, loadMnistSplit } from '../data/mnist-split.js';
import { streamTabular, type StreamedData } from '../data/stream-tabular.js';
import { loadTabular } from '../data/tabular.js';
import { OptionError } from '../errors.js';
import type { TrainConfig } from './config.js';

/** The rows a run trains, validates and tests on, whatever file they came from. */
export interface TrainingData {
  /** The MLP's features and targets of the train split. */
  readonly train: Dataset;
  /** What val_* is measured on after every epoch (eval graph), or null for none. */
  readonly validation: Dataset | null;
  /** The test split as the written model.onnx takes it (raw columns when preprocessing is baked in). */
  readonly test: Dataset;
  /** The validation split as model.onnx takes it, for the model card's metrics; absent with --stream (features only). */
  readonly validationRaw?: Dataset | null;
  readonly task: Task;
  /** Width of the MLP's input (after preprocessing) and output layers. */
  readonly inputs: number;
  readonly outputs: number;
  /** Class names in output order (classifiers), else null. */
  readonly classNames: readonly string[] | null;
  /** Baked into model.onnx in front of the MLP, or null (MNIST: the pixels are the features). */
  readonly preprocessing: Preprocessing | null;
  /** Regression: `train` and `validation` targets are standardised with this; model.onnx undoes it (`test` keeps the label's units). */
  readonly targetScaling: TargetScaling | null;
  /** One line saying where the rows came from and how they were split (config.json's `data`). */
  readonly description: string;
  /** How the end line counts test rows: "digits" (MNIST) or "rows". */
  readonly rowsWord: string;
  /** Facts for model.onnx's `onnx_mlp.training` metadata about the data (MNIST: exactly trainRows and testRows). */
  readonly facts: Readonly<Record<string, unknown>>;
  /** Things worth knowing about the data that are not errors. */
  readonly notices: readonly string[];
  /** Rows per split, for the start event. */
  readonly rows: { readonly train: number; readonly validation: number | null; readonly test: number };
  /**
   * --stream: the train rows come from here, epoch by epoch (`train` then only counts them: it has no
   * features), validation rows after the first pass, and `test` once a complete pass has collected it.
   */
  readonly stream?: StreamedData;
  /** --sensitive: the test rows' values in those columns, for per-group metrics. */
  readonly testSensitive?: SensitiveValues;
}

/** The data of a run: --data (tabular) or the MNIST digits. */
export async function loadTrainingData(config: TrainConfig): Promise<TrainingData> {
  if (config.dataset?.stream) return loadStreamedData(config);
  return config.dataset ? loadTabularData(config) : loadMnistData(config);
}

async function loadStreamedData(config: TrainConfig): Promise<TrainingData> {
  const o = config.dataset!;
  const s = await streamTabular(o, config.valSplit, config.seed);
  const inputs = s.preprocessing.columns.length;
  return {
    // Only the row count: the rows stream in through `stream.chunks` every epoch.
    train: { features: new Float32Array(0), rows: s.rows.train, cols: inputs, targets: new Float32Array(0) },
    validation: null,
    get test() {
      return s.test();
    },
    task: s.task,
    inputs: featureCount(s),
    outputs: s.outputs,
    classNames: s.classNames,
    preprocessing: s.preprocessing,
    targetScaling: s.targetScaling,
    description: s.description,
    rowsWord: 'rows',
    notices: s.notices,
    facts: {
      ...tabularDataFacts(o.file, s),
      split: `random, seed ${config.seed}`,
      stream: { shuffleBuffer: o.stream!.shuffleBuffer },
      trainRows: s.rows.train,
      valRows: s.rows.validation,
      testRows: s.rows.test,
    },
    rows: { train: s.rows.train, validation: s.rows.validation > 0 ? s.rows.validation : null, test: s.rows.test },
    stream: s,
  };
}

function featureCount(s: StreamedData): number {
  return featureWidth(s.preprocessing);
}

async function loadMnistData(config: TrainConfig): Promise<TrainingData> {
  const split = await loadMnistSplit(config.seed);
  let { train, description } = split;
  // By default val_* is the test split, as always; a validation split comes out of the train digits.
  let validation: Dataset = split.test;
  if (config.valSplit !== null) {
    const held = Math.round(train.rows * config.valSplit);
    if (held < 1 || held >= train.rows)
      throw new OptionError('val-split', config.valSplit, `leaves no rows on one side of the ${train.rows} training digits`);
    [train, validation] = stratifiedSplit(split.train, train.rows - held, config.seed);
    description += `; validation: ${validation.rows} of the train digits (stratified, seed ${config.seed}), ${train.rows} left to train`;
  }
  return {
    train,
    validation,
    test: split.test,
    // Without a validation split, MNIST's val_* is the test split: no separate validation metrics.
    validationRaw: config.valSplit !== null ? validation : null,
    task: 'multiclass',
    inputs: MNIST_PIXELS,
    outputs: MNIST_CLASSES,
    classNames: MNIST_CLASS_NAMES,
    preprocessing: null,
    targetScaling: null,
    description,
    rowsWord: 'digits',
    notices: [],
    facts: { trainRows: train.rows, ...(config.valSplit !== null ? { valRows: validation.rows } : {}), testRows: split.test.rows },
    rows: { train: train.rows, validation: config.valSplit !== null ? validation.rows : null, test: split.test.rows },
  };
}

async function loadTabularData(config: TrainConfig): Promise<TrainingData> {
  const o = config.dataset!;
  const sensitive = config.fairness?.sensitive ?? [];
  const t = await loadTabular(o, config.valSplit, config.seed, sensitive);
  return {
    train: t.train.features,
    validation: t.validation?.features ?? null,
    test: t.test.raw,
    validationRaw: t.validation?.raw ?? null,
    task: t.task,
    inputs: t.train.features.cols,
    outputs: t.outputs,
    classNames: t.classNames,
    preprocessing: t.preprocessing,
    targetScaling: t.targetScaling,
    description: t.description,
    rowsWord: 'rows',
    notices: t.notices,
    facts: splitTableFacts(o.file, t, {
      seed: config.seed,
      ...(o.val ? { valFile: o.val } : {}),
      ...(o.test ? { testFile: o.test } : {}),
    }),
    rows: { train: t.train.raw.rows, validation: t.validation?.raw.rows ?? null, test: t.test.raw.rows },
    ...(sensitive.length > 0 ? { testSensitive: { columns: sensitive, values: sensitive.map((n) => t.test.carried![n]!) } } : {}),
  };
}
