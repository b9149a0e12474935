import {
  DataError,
  InvalidArgumentError,
  Trainer,
  TrainingDivergedError,
  buildInferenceModel,
  buildTrainingArtifacts,
  encodeCheckpoint,
  encodeModel,
  initialState,
  regressionReport,
  sealModel,
  type EpochRecord,
  type TrainerOptions,
  type TrainingArtifacts,
  type TrainingState,
} from '@onnx-mlp/core';
import { labelUnitLossFactor } from '@onnx-mlp/core/preprocess';
import {
  controlFacts,
  earlyStoppingRule,
  learningRateSchedule,
  resolveClassWeights,
  scheduleWithSteps,
  specForData,
  stepOptions,
  stoppingOutcome,
  splitTableFacts,
  testFacts,
  trainingFacts as modelTrainingFacts,
  type ScheduleSetting,
} from '@onnx-mlp/core/tabular';
import { cardMarkdown, withModelCard, type CardDataFile, type ModelCard } from '@onnx-mlp/core/artifacts';
import { PrivacyBudgetError, type PrivacyPlan, epsilonAfter, planPrivateRun, privacyFacts } from '@onnx-mlp/core/privacy';
import { WebTrainError } from '../errors.js';
import { resolveRuntime, type Backend, type ResolvedRuntime } from '../runtime.js';
import { throttleBatches } from './batch-throttle.js';
import { dataFileFacts, webModelCard } from './model-card.js';
import { resolveTrainSettings, type TrainInThisThreadOptions, type TrainResult, type TrainSettings } from './options.js';
import { readTrainingTable } from './read-table.js';
import { prepareTable, type TabularData, type TabularSplit } from './tabular-data.js';

/** What the model's `onnx_mlp.training` names as its maker (the CLI writes `onnx-mlp <version>`). */
export const PRODUCER = '@onnx-mlp/web 0.1.0';

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WebTrainError('aborted', 'training was cancelled (AbortSignal); no model was made');
}

/** Core's errors as typed WebTrainErrors; anything else as it is. */
function asTrainError(e: unknown): unknown {
  if (e instanceof WebTrainError) return e;
  if (e instanceof TrainingDivergedError)
    return new WebTrainError('diverged', `${e.message}; try a smaller learningRate or clipNorm`, { cause: e });
  if (e instanceof InvalidArgumentError || e instanceof PrivacyBudgetError) return new WebTrainError('bad-option', e.message, { cause: e });
  // No feature column left is a matter of the label/features/exclude options, not of the data's cells.
  if (e instanceof DataError)
    return new WebTrainError(e.code === 'NO_FEATURE_COLUMNS' ? 'bad-option' : 'bad-data', e.message, { cause: e });
  return e;
}

/** Scores model.onnx's bytes on the raw test split: accuracy of its `label`, or MSE/MAE/R² of its `prediction`. */
async function testMetrics(
  runtime: ResolvedRuntime,
  model: Uint8Array,
  test: TabularSplit,
  task: TabularData['task'],
): Promise<Record<string, number>> {
  const { ort } = runtime;
  const session = await ort.InferenceSession.create(model, runtime.cpuSessionOptions);
  try {
    const { raw } = test;
    const out = await session.run({ input: new ort.Tensor('float32', raw.features.slice(), [raw.rows, raw.cols]) });
    if (task === 'regression') {
      return { ...regressionReport(raw.targets, out.prediction!.data as Float32Array, raw.targets.length / raw.rows) };
    }
    const labels = out.label!.data as BigInt64Array;
    let correct = 0;
    for (let i = 0; i < raw.rows; i++) if (Number(labels[i]) === raw.targets[i]) correct++;
    return { accuracy: correct / raw.rows };
  } finally {
    await session.release();
  }
}

/** The training facts model.onnx records: core's trainingFacts, as the CLI writes them. */
function trainingFacts(
  run: RunContext,
  history: readonly EpochRecord[],
  stoppedEarly: boolean,
  metrics?: Record<string, number>,
): Record<string, unknown> {
  const { settings: s, data, artifacts } = run;
  const score =
    metrics === undefined
      ? undefined
      : data.task === 'regression'
        ? { mse: metrics.mse!, mae: metrics.mae!, r2: metrics.r2! }
        : { accuracy: metrics.accuracy! };
  return modelTrainingFacts({
    description: data.description,
    data: splitTableFacts(run.file, data, { seed: s.seed }),
    epochs: s.epochs,
    batchSize: s.batchSize,
    optimizer: artifacts.optimizer,
    seed: s.seed,
    controls: controlFacts({
      schedule: run.schedule,
      earlyStopping: s.earlyStopping,
      options: artifacts.options,
      stopping: stoppingOutcome(s.earlyStopping, history, stoppedEarly),
    }),
    ...(score ? { test: testFacts(score, true) } : {}),
    producer: PRODUCER,
  });
}

interface RunContext {
  readonly settings: TrainSettings;
  readonly data: TabularData;
  readonly artifacts: TrainingArtifacts;
  readonly schedule: ScheduleSetting;
  readonly file: string;
  /** The data's size and SHA-256, for the model card. */
  readonly files: readonly CardDataFile[];
  /** dp: the private run as it trains (its epochs may be cut by the budget), or null. */
  readonly privacy: PrivacyPlan | null;
}

/** model.onnx's bytes, with its model card once it is built, sealed last with its integrity digest as the CLI's train seals it. */
async function modelBytes(
  run: RunContext,
  parameters: TrainingState['parameters'],
  facts: Record<string, unknown>,
  card?: ModelCard,
): Promise<Uint8Array> {
  const model = buildInferenceModel(run.artifacts.spec, parameters, {
    ...(run.data.classNames ? { classNames: run.data.classNames } : {}),
    preprocessing: run.data.preprocessing,
    ...(run.data.targetScaling ? { targetScaling: run.data.targetScaling } : {}),
    training: facts,
    ...(run.privacy ? { privacy: privacyFacts(run.privacy, run.settings.epochs) } : {}),
  });
  return encodeModel(await sealModel(card ? withModelCard(model, card, (v) => cardMarkdown(v, { docString: true })) : model));
}

/** Session options and epoch-Loop use per backend: WebGPU keeps the state on the device and steps one batch at a time (as the CLI's --device webgpu). */
function trainerSetup(backend: Backend): { trainerOptions: TrainerOptions; loop: boolean } {
  if (backend === 'webgpu')
    return { trainerOptions: { sessionOptions: { executionProviders: ['webgpu'] }, keepStateOnDevice: true }, loop: false };
  return { trainerOptions: backend === 'wasm' ? { sessionOptions: { executionProviders: ['wasm'] } } : {}, loop: true };
}

/**
 * The whole training pipeline in the calling thread, as `onnx-mlp train --data` runs it: read the
 * data, split it (seeded, stratified), fit the preprocessing on the train split, train with core's
 * Trainer on `options.runtime`, and return model.onnx (preprocessing inside), the checkpoint, the
 * history and the test metrics. Rejects with a WebTrainError ('aborted', 'bad-option', 'bad-data',
 * 'diverged').
 */
export async function trainInThisThread(options: TrainInThisThreadOptions): Promise<TrainResult> {
  try {
    return await runPipeline(options);
  } catch (e) {
    throw asTrainError(e);
  }
}

/** Options, runtime, data and artifacts: everything before the first step. */
async function prepareRun(
  options: TrainInThisThreadOptions,
  notice: (m: string) => void,
): Promise<RunContext & { runtime: ResolvedRuntime }> {
  const requested = resolveTrainSettings(options);
  const runtime = await resolveRuntime({
    runtime: options.runtime,
    onNotice: notice,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.numThreads !== undefined ? { numThreads: options.numThreads } : {}),
  });
  const table = await readTrainingTable(options.data, options.format, options.dataName);
  throwIfAborted(options.signal);
  const data = await prepareTable(runtime, table, requested.dataset, { valSplit: requested.valSplit, seed: requested.seed });
  for (const n of data.notices) notice(n);
  const shape = { rows: data.train.features.rows, batchSize: requested.batchSize, epochs: requested.epochs };
  const privacy = requested.privacy && planPrivateRun(requested.privacy, shape);
  const settings = privacy ? { ...requested, epochs: privacy.epochs } : requested;
  if (privacy)
    notice(
      `dp: σ = ${privacy.noiseMultiplier}, ε after ${privacy.epochs} epochs: ${privacy.epsilon.toPrecision(3)} at δ = ${privacy.delta.toPrecision(3)}; preprocessing statistics fitted on the rows are not covered by ε`,
    );
  const spec = specForData(settings.spec, { inputs: data.train.features.cols, outputs: data.outputs, task: data.task });
  const classWeights = resolveClassWeights(settings.classWeights, { classNames: data.classNames, train: data.train.features });
  const schedule = scheduleWithSteps(settings.schedule, {
    epochs: settings.epochs,
    trainRows: data.train.features.rows,
    batchSize: settings.batchSize,
  });
  const steps = {
    ...stepOptions({ clipNorm: settings.clipNorm, classWeights }),
    ...(privacy ? { privacy: { clipNorm: privacy.clipNorm } } : {}),
  };
  const artifacts = buildTrainingArtifacts(spec, settings.optimizer, steps);
  const files = await dataFileFacts(options.data, table.file);
  return { settings, data, artifacts, schedule, file: table.file, files, runtime, privacy };
}

/** What fitting produced: the history, the model's parameters, the last epoch's state (the checkpoint), whether it stopped early. */
interface Fitted {
  readonly history: readonly EpochRecord[];
  readonly parameters: TrainingState['parameters'];
  readonly last: TrainingState;
  readonly stoppedEarly: boolean;
}

/** Trains with core's Trainer from the seed's initial state, forwarding events and honouring the signal. */
async function fitModel(run: RunContext, runtime: ResolvedRuntime, options: TrainInThisThreadOptions): Promise<Fitted> {
  const { settings, data, artifacts } = run;
  const { signal } = options;
  const { trainerOptions, loop } = trainerSetup(runtime.backend);
  const trainer = await Trainer.create(runtime.ort, artifacts, initialState(artifacts, settings.seed), trainerOptions);
  let last: TrainingState | undefined;
  try {
    const learningRate = learningRateSchedule(run.schedule, settings.optimizer.learningRate);
    const earlyStopping = earlyStoppingRule(settings.earlyStopping);
    const batchEvent = throttleBatches((e) => options.onBatchEnd?.({ ...e }));
    const lossScale = data.targetScaling ? labelUnitLossFactor(data.targetScaling) : null;
    const history = await trainer.fit(data.train.features, {
      ...(lossScale !== null ? { lossScale } : {}),
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      loop,
      ...(learningRate ? { learningRate } : {}),
      ...(earlyStopping ? { earlyStopping } : {}),
      ...(data.validation ? { validationData: data.validation.features } : {}),
      ...(run.privacy ? { privacy: { noiseMultiplier: run.privacy.noiseMultiplier } } : {}),
      onBatchEnd: (e) => {
        throwIfAborted(signal);
        batchEvent(e);
      },
      onEpochEnd: (record, state) => {
        last = state;
        const { learningRate: _, ...shown } = record;
        options.onEpochEnd?.(run.privacy ? { ...shown, epsilon: epsilonAfter(run.privacy, record.epoch) } : shown);
        throwIfAborted(signal);
      },
    });
    // With early stopping, the best epoch's weights (restoreBestWeights); otherwise the last epoch's.
    const { parameters } = await trainer.state();
    return { history, parameters, last: last!, stoppedEarly: trainer.stoppedEarly };
  } finally {
    await trainer.release();
  }
}

async function runPipeline(options: TrainInThisThreadOptions): Promise<TrainResult> {
  const notice = options.onNotice ?? ((m: string) => console.warn(m));
  throwIfAborted(options.signal);
  const { runtime, ...run } = await prepareRun(options, notice);
  const { data, settings, artifacts } = run;
  options.onTrainBegin?.({
    rows: { train: data.train.raw.rows, val: data.validation?.raw.rows ?? 0, test: data.test.raw.rows },
    columns: data.preprocessing.columns.map((c) => c.name),
    classes: data.classNames ? [...data.classNames] : null,
  });
  throwIfAborted(options.signal);
  const fitted = await fitModel(run, runtime, options);
  throwIfAborted(options.signal);
  const { history, parameters, stoppedEarly } = fitted;
  // Scored with the model's own bytes, then written again with the score in its training facts (as the CLI does).
  const plain = await modelBytes(run, parameters, trainingFacts(run, history, stoppedEarly));
  const metrics = await testMetrics(runtime, plain, data.test, data.task);
  const card = await webModelCard(
    { runtime, settings, data, files: run.files, history, statements: options.card, producer: PRODUCER },
    plain,
  );
  const model = await modelBytes(run, parameters, trainingFacts(run, history, stoppedEarly, metrics), card);
  const checkpoint = encodeCheckpoint({
    spec: artifacts.spec,
    optimizer: artifacts.optimizer,
    ...fitted.last,
    extra: { data: data.description, classNames: data.classNames, seed: settings.seed, batchSize: settings.batchSize },
  });
  throwIfAborted(options.signal);
  options.onTrainEnd?.({
    epochs: history.length,
    ...(metrics.accuracy !== undefined ? { testAccuracy: metrics.accuracy } : {}),
    testMetrics: metrics,
  });
  return { model, checkpoint, history: [...history], testMetrics: metrics };
}
