import * as ort from 'onnxruntime-node';
import {
  Trainer, TrainingDivergedError, confusionMatrix, buildInferenceModel, chooseDevice, buildTrainingArtifacts, encodeCheckpoint, encodeModel,
  initialState, regressionReport,
  type BatchEvent, type Dataset, type EpochRecord, type TensorMap, type TrainingArtifacts, type TrainingState,
} from '@onnx-mlp/core';
import type { InferenceSession } from 'onnxruntime-node';
import { deviceNotice } from '../core-wording.js';
import { UserError } from '../errors.js';
import { modelAccuracy } from '../evaluate/model-accuracy.js';
import { trainingReport } from '../report/html-report.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutputTarget } from '../io/output-target.js';
import { createRunFolder } from '../io/run-folder.js';
import { CLI_VERSION } from '../version.js';
import type { TrainConfig } from './config.js';
import {
  earlyStoppingRule, learningRateSchedule, resolveClassWeights, scheduleWithSteps, specForData, stepOptions, stoppingOutcome,
  type StoppingOutcome,
} from './controls.js';
import { isAccuracy, stoppingLine, type RegressionScore, type TestScore, type TrainProgress } from './progress.js';
import { RUN_FILES, RunFiles } from './run-files.js';
import { readResumePoint, type ResumePoint } from './resume.js';
import { loadTrainingData, type TrainingData } from './training-data.js';

/** What a finished run produced. */
export interface TrainResult {
  readonly runFolder: string;
  readonly test: TestScore;
  readonly history: readonly EpochRecord[];
}

/**
 * `onnx-mlp train`: loads and checks everything first, then creates the run folder, trains with a
 * checkpoint after every epoch, and writes the inference model (and --out). Nothing is written
 * unless the data loaded and the output target is usable. Everything the user sees goes through
 * `progress` (plain lines, a live bar, or JSON events); its `close` is called however the run ends.
 */
export async function runTraining(requested: TrainConfig, progress: TrainProgress, given: { epochsGiven: boolean } = { epochsGiven: true }): Promise<TrainResult> {
  try {
    return await train(requested, progress, given);
  } finally {
    progress.close();
  }
}

/** A run's settings once its data is known: the spec fitted to the data, class weights, schedule length. */
interface ResolvedRun {
  readonly config: TrainConfig;
  readonly classWeights: number[] | null;
}

async function train(requested: TrainConfig, progress: TrainProgress, given: { epochsGiven: boolean }): Promise<TrainResult> {
  if (requested.out !== null) await checkOutputTarget(requested.out, requested.force);
  if (requested.report !== null) await checkOutputTarget(requested.report, requested.force, 'report');
  const resumed = requested.resume === null ? undefined : await readResumePoint(requested.resume, requested, given.epochsGiven);
  const data = await loadTrainingData(resumed?.config ?? requested);
  const { config, classWeights } = resolveRun(resumed?.config ?? requested, data, resumed);
  const artifacts = buildTrainingArtifacts(config.spec, config.optimizer, stepOptions(config, classWeights));
  const sessionOptions = { intraOpNumThreads: config.threads, interOpNumThreads: 1 };
  // A provider that fails to load is an answer (handled below), not something for ORT's own log.
  if (!config.verbose) ort.env.logLevel = 'fatal';
  const device = await chooseDevice(ort, config.device, sessionOptions);
  if (device.notice) progress.notice(deviceNotice(device)!);
  for (const notice of data.notices) progress.notice(notice);

  const folder = resumed ? { path: requested.resume! } : await createRunFolder(config.runsDir);
  const files = new RunFiles(folder.path);
  const recorded = recordedConfig(config, data, classWeights);
  progress.start({
    runFolder: folder.path,
    config: recorded,
    resumedAfterEpoch: resumed ? resumed.checkpoint.epoch : null,
    device: device.device,
    batchesPerEpoch: data.stream ? streamedBatches(data.rows.train, config.dataset!.stream!.shuffleBuffer, config.batchSize) : Math.ceil(data.train.rows / config.batchSize),
    trainRows: data.rows.train,
    testRows: data.rows.test,
    ...(data.rows.validation !== null ? { valRows: data.rows.validation } : {}),
    ...(data.preprocessing ? { summary: `data: ${data.description}` } : {}),
  });
  if (!resumed) {
    await files.writeJson(RUN_FILES.config, recorded);
    await files.writeModel(RUN_FILES.trainingModel, artifacts.trainingModel);
    await files.writeModel(RUN_FILES.epochModel, artifacts.epochModel);
    await files.writeModel(RUN_FILES.evalModel, artifacts.evalModel);
  }

  const start = resumed ? resumed.checkpoint : initialState(artifacts, config.seed);
  const trainer = await Trainer.create(ort, artifacts, start, device.trainerOptions);
  let history: readonly EpochRecord[];
  let parameters: TensorMap;
  try {
    progress.training(start.epoch + 1);
    const learningRate = learningRateSchedule(config.schedule, config.optimizer.learningRate);
    const earlyStopping = earlyStoppingRule(config.earlyStopping);
    const common = {
      epochs: config.epochs,
      batchSize: config.batchSize,
      ...(learningRate ? { learningRate } : {}),
      ...(earlyStopping ? { earlyStopping } : {}),
      loop: device.loop,
      onBatchEnd: (event: BatchEvent) => progress.batch(event),
      onEpochEnd: async (record: EpochRecord, state: TrainingState) => {
        progress.epoch(record);
        await files.writeBytes(RUN_FILES.checkpoint, checkpointBytes(artifacts, state, config, data));
        await files.writeJson(RUN_FILES.history, state.history);
      },
    };
    if (data.stream) {
      // --stream: every epoch reads the file again; the shuffle buffers are seeded by the epoch.
      const stream = data.stream;
      let epoch = start.epoch;
      history = await trainer.fitChunks(() => stream.chunks(++epoch), {
        ...common,
        ...(data.rows.validation !== null ? { validationData: () => stream.validation() } : {}),
        batchesPerEpoch: streamedBatches(data.rows.train, config.dataset!.stream!.shuffleBuffer, config.batchSize),
      });
      await stream.collectHeldOut();
    } else {
      history = await trainer.fit(data.train, {
        ...common,
        ...(data.validation ? { validationData: data.validation } : {}),
      });
    }
    // With early stopping, the best epoch's weights (restoreBestWeights); otherwise the last epoch's.
    parameters = (await trainer.state()).parameters;
  } catch (e) {
    // The folder keeps the config and the last good epoch's checkpoint; say where it is.
    if (e instanceof TrainingDivergedError) throw new UserError(`${e.message} (partial run in ${folder.path})`, { cause: e });
    throw e;
  } finally {
    await trainer.release();
    await data.stream?.release();
  }
  const stopping = stoppingOutcome(config.earlyStopping, history, trainer.stoppedEarly);

  const test = await scoreModel(inferenceBytes(artifacts, parameters, config, data, stopping), data, sessionOptions);
  if (config.report !== null) {
    const names = data.classNames ?? [];
    const results: Record<string, string> = isAccuracy(test)
      ? { 'test accuracy': `${(test.accuracy * 100).toFixed(2)}% (${test.correct} of ${test.rows})` }
      : { 'test MSE': test.mse.toPrecision(6), 'test MAE': test.mae.toPrecision(6), 'test R²': test.r2.toFixed(4) };
    if (stopping) results['early stopping'] = stoppingLine(stopping, config.epochs).replace(/^early stopping: /, '');
    const html = trainingReport({
      title: `onnx-mlp training report — ${folder.path}`,
      history,
      settings: recorded,
      ...(isAccuracy(test) ? {
        confusion: { matrix: confusionMatrix(data.test.targets, test.predicted, names.length), classNames: names, split: `held-out test split, ${test.rows} ${data.rowsWord}` },
      } : {}),
      results: { ...results, 'run folder': folder.path },
    });
    await writeFileAtomic(config.report, new TextEncoder().encode(html), { replace: config.force });
  }
  const model = inferenceBytes(artifacts, parameters, config, data, stopping, test);
  await files.writeModel(RUN_FILES.model, model);
  if (config.out !== null) await writeOut(config.out, model, config.force, folder.path);
  progress.end({ runFolder: folder.path, test, epochs: config.epochs, out: config.out, rowsWord: data.rowsWord, stopping });
  return { runFolder: folder.path, test, history };
}

/**
 * Fits the configuration to the data: the spec's widths and task, class weights (checked against
 * the classes), the schedule's length in steps. On resume, the data must still be what the run
 * trained on: the same preprocessing, classes and widths.
 */
function resolveRun(config: TrainConfig, data: TrainingData, resumed: ResumePoint | undefined): ResolvedRun {
  const spec = resumed ? resumed.checkpoint.spec : specForData(config, data);
  if (resumed) {
    const saved = resumed.recorded;
    const same = spec.inputs === data.inputs && spec.outputs === data.outputs && spec.task === data.task
      && (saved.preprocessing === undefined || JSON.stringify(saved.preprocessing) === JSON.stringify(data.preprocessing))
      && (saved.classNames === undefined || JSON.stringify(saved.classNames) === JSON.stringify(data.classNames));
    if (!same) {
      throw new UserError(`--resume ${resumed.config.resume}: the data (${config.dataset?.file ?? 'MNIST'}) is no longer what the run trained on: its columns, statistics or classes differ`);
    }
  }
  const classWeights = resolveClassWeights(config.classWeights, data);
  const schedule = scheduleWithSteps(config.schedule, config.epochs, data.train.rows, config.batchSize);
  return { config: { ...config, spec, schedule }, classWeights };
}

/** What config.json records: the resolved options, with what the data made of them. */
function recordedConfig(config: TrainConfig, data: TrainingData, classWeights: number[] | null): Record<string, unknown> & { readonly epochs: number } {
  const { classWeights: given, ...rest } = config;
  return {
    version: CLI_VERSION,
    ...rest,
    classWeights,
    ...(given === 'balanced' ? { classWeightsFrom: 'balanced' } : {}),
    ...(data.preprocessing ? { task: data.task, classNames: data.classNames, preprocessing: data.preprocessing } : {}),
    data: data.description,
  };
}

/** Settings beyond the defaults, for the model's training facts (a default run's metadata stays as it was). */
function controlFacts(config: TrainConfig, a: TrainingArtifacts, stopping: StoppingOutcome | null): Record<string, unknown> {
  const s = config.schedule;
  return {
    ...(s.name !== 'constant' || s.warmup > 0 ? { schedule: s } : {}),
    ...(a.options.clipNorm !== undefined ? { clipNorm: a.options.clipNorm } : {}),
    ...(a.options.classWeights !== undefined ? { classWeights: a.options.classWeights } : {}),
    ...(config.earlyStopping ? { earlyStopping: { monitor: 'val_loss', ...config.earlyStopping, restoreBestWeights: true } } : {}),
    ...(stopping ? { epochsTrained: stopping.epochsTrained, bestEpoch: stopping.bestEpoch, stoppedEarly: stopping.stopped } : {}),
  };
}

/** The test score as `onnx_mlp.training` records it. */
function testFacts(test: TestScore, tabular: boolean): Record<string, unknown> {
  if (isAccuracy(test)) return { ...(tabular ? { metric: 'accuracy' } : {}), testAccuracy: test.accuracy };
  return { metric: 'mse', testMse: test.mse, testMae: test.mae, testR2: test.r2 };
}

/** The deployable model's bytes; the training facts include the test score once it is known. */
function inferenceBytes(
  a: TrainingArtifacts, parameters: TensorMap, config: TrainConfig, data: TrainingData, stopping: StoppingOutcome | null, test?: TestScore,
): Uint8Array {
  const training = {
    data: data.description,
    ...data.facts,
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: a.optimizer,
    seed: config.seed,
    ...controlFacts(config, a, stopping),
    ...(test ? testFacts(test, data.preprocessing !== null) : {}),
    producer: `onnx-mlp ${CLI_VERSION}`,
  };
  return encodeModel(buildInferenceModel(a.spec, parameters, {
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(data.preprocessing ? { preprocessing: data.preprocessing } : {}),
    training,
  }));
}

/** Scores the model file's bytes on the test split: accuracy of its `label`, or MSE/MAE/R² of its `prediction`. */
async function scoreModel(bytes: Uint8Array, data: TrainingData, sessionOptions: InferenceSession.SessionOptions): Promise<TestScore> {
  if (data.task !== 'regression') return modelAccuracy(ort, bytes, data.test, sessionOptions);
  return regressionScore(bytes, data.test, sessionOptions);
}

async function regressionScore(bytes: Uint8Array, test: Dataset, sessionOptions: InferenceSession.SessionOptions): Promise<RegressionScore> {
  const session = await ort.InferenceSession.create(bytes, sessionOptions);
  try {
    const width = test.targets.length / test.rows;
    const predictions = new Float32Array(test.targets.length);
    const batch = 1000;
    for (let start = 0; start < test.rows; start += batch) {
      const n = Math.min(batch, test.rows - start);
      const input = new ort.Tensor('float32', test.features.subarray(start * test.cols, (start + n) * test.cols), [n, test.cols]);
      const out = await session.run({ input });
      predictions.set(out.prediction!.data as Float32Array, start * width);
    }
    return { rows: test.rows, ...regressionReport(test.targets, predictions, width) };
  } finally {
    await session.release();
  }
}

/** Batches of a streamed epoch: every full shuffle buffer, then the rest, each cut into batches. */
function streamedBatches(rows: number, buffer: number, batchSize: number): number {
  const full = Math.floor(rows / buffer);
  return full * Math.ceil(buffer / batchSize) + Math.ceil((rows - full * buffer) / batchSize);
}

/** A checkpoint of `state`, with what a resume needs to know about the data. */
function checkpointBytes(a: TrainingArtifacts, state: TrainingState, config: TrainConfig, data: TrainingData): Uint8Array {
  return encodeCheckpoint({
    spec: a.spec,
    optimizer: a.optimizer,
    ...state,
    extra: { data: data.description, classNames: data.classNames, seed: config.seed, batchSize: config.batchSize },
  });
}

/** Copies the model to --out; without --force a file that appeared during training is left alone. */
async function writeOut(path: string, model: Uint8Array, force: boolean, runFolder: string): Promise<void> {
  try {
    await writeFileAtomic(path, model, { replace: force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new UserError(`--out ${path}: file appeared during training; add --force to replace it (the model is in ${runFolder})`);
  }
}
