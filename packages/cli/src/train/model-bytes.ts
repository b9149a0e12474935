import {
  buildInferenceModel, encodeCheckpoint, encodeModel, type TrainingArtifacts, type TrainingState,
} from '@onnx-mlp/core';
import { CLI_VERSION } from '../version.js';
import type { TrainConfig } from './config.js';
import type { StoppingOutcome } from './controls.js';
import { isAccuracy, type TestScore } from './progress.js';
import type { PreparedRun, TrainedModel } from './run-context.js';

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
export function inferenceBytes(run: PreparedRun, trained: Omit<TrainedModel, 'history'>, test?: TestScore): Uint8Array {
  const { artifacts: a, config, data } = run;
  const training = {
    data: data.description,
    ...data.facts,
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: a.optimizer,
    seed: config.seed,
    ...controlFacts(config, a, trained.stopping),
    ...(test ? testFacts(test, data.preprocessing !== null) : {}),
    producer: `onnx-mlp ${CLI_VERSION}`,
  };
  return encodeModel(buildInferenceModel(a.spec, trained.parameters, {
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(data.preprocessing ? { preprocessing: data.preprocessing } : {}),
    training,
  }));
}

/** A checkpoint of `state`, with what a resume needs to know about the data. */
export function checkpointBytes(run: PreparedRun, state: TrainingState): Uint8Array {
  const { artifacts: a, config, data } = run;
  return encodeCheckpoint({
    spec: a.spec,
    optimizer: a.optimizer,
    ...state,
    extra: { data: data.description, classNames: data.classNames, seed: config.seed, batchSize: config.batchSize },
  });
}

/** config.json's contents: the resolved options, with what the data made of them. */
export type RecordedConfig = Readonly<Record<string, unknown>> & { readonly epochs: number };

/** What config.json records: the resolved options, with what the data made of them. */
export function recordedConfig(run: Omit<PreparedRun, 'artifacts' | 'resumed'>): RecordedConfig {
  const { config, data, classWeights } = run;
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
