import * as ort from 'onnxruntime-node';
import {
  Trainer, TrainingDivergedError, confusionMatrix, buildInferenceModel, chooseDevice, buildTrainingArtifacts, encodeCheckpoint, encodeModel, initialState,
  type EpochRecord, type TensorMap, type TrainingArtifacts, type TrainingState,
} from '@onnx-mlp/core';
import { MNIST_CLASS_NAMES, loadMnistSplit, type MnistSplit } from '../data/mnist-split.js';
import { UserError } from '../errors.js';
import { modelAccuracy, type Accuracy } from '../evaluate/model-accuracy.js';
import { trainingReport } from '../report/html-report.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutputTarget } from '../io/output-target.js';
import { createRunFolder } from '../io/run-folder.js';
import { CLI_VERSION } from '../version.js';
import type { TrainConfig } from './config.js';
import type { TrainProgress } from './progress.js';
import { RUN_FILES, RunFiles } from './run-files.js';
import { readResumePoint } from './resume.js';

/** What a finished run produced. */
export interface TrainResult {
  readonly runFolder: string;
  readonly test: Accuracy;
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

async function train(requested: TrainConfig, progress: TrainProgress, given: { epochsGiven: boolean }): Promise<TrainResult> {
  if (requested.out !== null) await checkOutputTarget(requested.out, requested.force);
  if (requested.report !== null) await checkOutputTarget(requested.report, requested.force, 'report');
  const resumed = requested.resume === null ? undefined : await readResumePoint(requested.resume, requested, given.epochsGiven);
  const config = resumed?.config ?? requested;
  const data = await loadMnistSplit(config.seed);
  const artifacts = buildTrainingArtifacts(config.spec, config.optimizer);
  const sessionOptions = { intraOpNumThreads: config.threads, interOpNumThreads: 1 };
  // A provider that fails to load is an answer (handled below), not something for ORT's own log.
  if (!config.verbose) ort.env.logLevel = 'fatal';
  const device = await chooseDevice(ort, config.device, sessionOptions);
  if (device.notice) progress.notice(device.notice);

  const folder = resumed ? { path: requested.resume! } : await createRunFolder(config.runsDir);
  const files = new RunFiles(folder.path);
  const recorded = { version: CLI_VERSION, ...config, data: data.description };
  progress.start({
    runFolder: folder.path,
    config: recorded,
    resumedAfterEpoch: resumed ? resumed.checkpoint.epoch : null,
    device: device.device,
    batchesPerEpoch: Math.ceil(data.train.rows / config.batchSize),
    trainRows: data.train.rows,
    testRows: data.test.rows,
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
    history = await trainer.fit(data.train, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      validationData: data.test,
      loop: device.loop,
      onBatchEnd: (event) => progress.batch(event),
      onEpochEnd: async (record, state) => {
        progress.epoch(record);
        await files.writeBytes(RUN_FILES.checkpoint, checkpointBytes(artifacts, state, config, data));
        await files.writeJson(RUN_FILES.history, state.history);
      },
    });
    parameters = (await trainer.state()).parameters;
  } catch (e) {
    // The folder keeps the config and the last good epoch's checkpoint; say where it is.
    if (e instanceof TrainingDivergedError) throw new UserError(`${e.message} (partial run in ${folder.path})`, { cause: e });
    throw e;
  } finally {
    await trainer.release();
  }

  const test = await modelAccuracy(ort, inferenceBytes(artifacts, parameters, config, data), data.test, sessionOptions);
  if (config.report !== null) {
    const html = trainingReport({
      title: `onnx-mlp training report — ${folder.path}`,
      history,
      settings: { ...config, data: data.description },
      confusion: { matrix: confusionMatrix(data.test.targets, test.predicted, MNIST_CLASS_NAMES.length), classNames: MNIST_CLASS_NAMES, split: `held-out test split, ${test.rows} digits` },
      results: { 'test accuracy': `${(test.accuracy * 100).toFixed(2)}% (${test.correct} of ${test.rows})`, 'run folder': folder.path },
    });
    await writeFileAtomic(config.report, new TextEncoder().encode(html), { replace: config.force });
  }
  const model = inferenceBytes(artifacts, parameters, config, data, test);
  await files.writeModel(RUN_FILES.model, model);
  if (config.out !== null) await writeOut(config.out, model, config.force, folder.path);
  progress.end({ runFolder: folder.path, test, epochs: config.epochs, out: config.out });
  return { runFolder: folder.path, test, history };
}

/** The deployable model's bytes; the training facts include the test accuracy once it is known. */
function inferenceBytes(a: TrainingArtifacts, parameters: TensorMap, config: TrainConfig, data: MnistSplit, test?: Accuracy): Uint8Array {
  const training = {
    data: data.description,
    trainRows: data.train.rows,
    testRows: data.test.rows,
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: a.optimizer,
    seed: config.seed,
    ...(test ? { testAccuracy: test.accuracy } : {}),
    producer: `onnx-mlp ${CLI_VERSION}`,
  };
  return encodeModel(buildInferenceModel(a.spec, parameters, { classNames: MNIST_CLASS_NAMES, training }));
}

/** A checkpoint of `state`, with what a resume needs to know about the data. */
function checkpointBytes(a: TrainingArtifacts, state: TrainingState, config: TrainConfig, data: MnistSplit): Uint8Array {
  return encodeCheckpoint({
    spec: a.spec,
    optimizer: a.optimizer,
    ...state,
    extra: { data: data.description, classNames: MNIST_CLASS_NAMES, seed: config.seed, batchSize: config.batchSize },
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
