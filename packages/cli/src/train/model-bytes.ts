import { buildInferenceModel, encodeCheckpoint, encodeModel, type TrainingState } from '@onnx-mlp/core';
import { cardMarkdown, sealModel, withModelCard, type ModelCard } from '@onnx-mlp/core/artifacts';
import { controlFacts, testFacts, trainingFacts } from '@onnx-mlp/core/tabular';
import { privacyFacts } from '@onnx-mlp/core/privacy';
import { signModel } from '../integrity/signature.js';
import { CLI_VERSION } from '../version.js';
import type { TestScore } from './progress.js';
import type { PreparedRun, TrainedModel } from './run-context.js';

/** What the final model.onnx carries beyond the weights and training facts. */
export interface InferenceExtras {
  /** More onnx_mlp.* entries (e.g. --sensitive's per-group metrics). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The model card, rendered into metadata and doc_string. */
  readonly card?: ModelCard;
}

/**
 * The deployable model's bytes, sealed with its integrity digest (and signed with --sign-key); the
 * training facts (core's trainingFacts) include the test score once it is known, and the model card
 * (metadata and doc_string) and `extra.metadata` (more onnx_mlp.* entries) once they are built.
 * Sealing comes last, so the digest covers them.
 */
export async function inferenceBytes(
  run: PreparedRun,
  trained: TrainedModel,
  test?: TestScore,
  extra: InferenceExtras = {},
): Promise<Uint8Array> {
  const { artifacts: a, config, data } = run;
  const training = trainingFacts({
    description: data.description,
    data: data.facts,
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: a.optimizer,
    seed: config.seed,
    controls: controlFacts({
      schedule: config.schedule,
      earlyStopping: config.earlyStopping,
      options: a.options,
      stopping: trained.stopping,
    }),
    ...(test ? { test: testFacts(test, data.preprocessing !== null) } : {}),
    producer: `onnx-mlp ${CLI_VERSION}`,
  });
  const built = buildInferenceModel(a.spec, trained.parameters, {
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(data.preprocessing ? { preprocessing: data.preprocessing } : {}),
    ...(data.targetScaling ? { targetScaling: data.targetScaling } : {}),
    ...(run.privacy ? { privacy: privacyFacts(run.privacy, trained.history.at(-1)?.epoch ?? 0) } : {}),
    training,
  });
  const model = { ...built, metadata: new Map([...built.metadata, ...Object.entries(extra.metadata ?? {})]) };
  const { card } = extra;
  const sealed = await sealModel(card ? withModelCard(model, card, (v) => cardMarkdown(v, { docString: true })) : model);
  return encodeModel(run.signer ? signModel(sealed, run.signer) : sealed);
}

/** A checkpoint of `state`, with what a resume needs to know about the data. */
export function checkpointBytes(run: PreparedRun, state: TrainingState): Uint8Array {
  const { artifacts: a, config, data } = run;
  return encodeCheckpoint({
    spec: a.spec,
    optimizer: a.optimizer,
    ...state,
    extra: {
      data: data.description,
      classNames: data.classNames,
      // What --resume compares with config.json's preprocessing (resume-check.ts).
      columns: data.preprocessing ? data.preprocessing.columns.map((c) => c.name) : null,
      seed: config.seed,
      batchSize: config.batchSize,
    },
  });
}

/** config.json's contents: the resolved options, with what the data made of them. */
export type RecordedConfig = Readonly<Record<string, unknown>> & { readonly epochs: number };

/** What config.json records: the resolved options, with what the data made of them. */
export function recordedConfig(run: Omit<PreparedRun, 'artifacts' | 'resumed' | 'signer'>): RecordedConfig {
  const { config, data, classWeights } = run;
  const { classWeights: given, signKey, card, ...rest } = config;
  return {
    version: CLI_VERSION,
    ...rest,
    ...(signKey !== null ? { signKey } : {}),
    ...(Object.keys(card).length > 0 ? { card } : {}),
    classWeights,
    ...(given === 'balanced' ? { classWeightsFrom: 'balanced' } : {}),
    ...(data.preprocessing ? { task: data.task, classNames: data.classNames, preprocessing: data.preprocessing } : {}),
    ...(data.targetScaling ? { targetScaling: data.targetScaling } : {}),
    data: data.description,
  };
}
