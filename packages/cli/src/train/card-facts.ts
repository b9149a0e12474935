import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { buildInferenceModel, type Dataset, encodeModel } from '@onnx-mlp/core';
import { CARD_FORMAT, type CardDataFile, type CardSplitMetrics, type ModelCard } from '@onnx-mlp/core/artifacts';
import { mnistDigitFiles } from '../data/mnist.js';
import { fileDigest, recordFileBytes } from '../data/readers/index.js';
import { CLI_VERSION } from '../version.js';
import type { RunContext, TrainedModel } from './run-context.js';
import { classCounts, splitMetrics, type SplitScoring } from '@onnx-mlp/core/tabular';

/**
 * What config.json records that other metadata keys hold already, or that is about this machine
 * rather than the model (folders, output paths, threads, the private key's path).
 */
const NOT_IN_CARD = new Set([
  'version',
  'preprocessing',
  'classNames',
  'data',
  'card',
  'resume',
  'quiet',
  'verbose',
  'force',
  'runsDir',
  'out',
  'report',
  'threads',
  'signKey',
  'device',
]);

/** The files the run read, with their role: --data, --labels, --val, --test, or the MNIST digits (named by package). */
function inputFiles(ctx: RunContext): { role: CardDataFile['role']; file: string; path: string }[] {
  const d = ctx.run.config.dataset;
  if (!d) {
    const { version } = createRequire(import.meta.url)('mnist/package.json') as { version: string };
    return mnistDigitFiles().map((path, digit) => ({ role: 'data', file: `mnist@${version}/src/digits/${digit}.json`, path }));
  }
  const given = (role: CardDataFile['role'], file: string | null | undefined) => (file ? [{ role, file, path: file }] : []);
  return [...given('data', d.file), ...given('labels', d.labels), ...given('validation', d.val), ...given('test', d.test)];
}

/** Each input file's size and SHA-256, from the read that loaded it (read again only if no read finished). */
async function dataFiles(ctx: RunContext): Promise<CardDataFile[]> {
  const files: CardDataFile[] = [];
  for (const { role, file, path } of inputFiles(ctx)) {
    // The bytes on disk (not decompressed): what sha256sum reads.
    const digest = fileDigest(path) ?? recordFileBytes(path, await readFile(path));
    files.push({ role, file, bytes: digest.bytes, sha256: digest.sha256 });
  }
  return files;
}

/**
 * The card's metrics: the test split with model.onnx's bytes, the validation split as model.onnx or
 * (--stream, classifiers) as the MLP alone takes it. A streamed regression's validation targets are
 * standardised, so its card gives no validation metrics rather than figures in other units.
 */
async function cardMetrics(ctx: RunContext, trained: TrainedModel, modelBytes: Uint8Array, streamed: Dataset | null) {
  const { data, artifacts } = ctx.run;
  const scoring: SplitScoring = { ort, task: data.task, classNames: data.classNames, sessionOptions: ctx.sessionOptions };
  const metrics: { validation?: CardSplitMetrics; test?: CardSplitMetrics } = {};
  if (data.validationRaw) metrics.validation = await splitMetrics(modelBytes, data.validationRaw, scoring);
  else if (streamed) {
    // Streamed validation rows are kept as features: score them with the same weights minus the preprocessing.
    const mlp = encodeModel(
      buildInferenceModel(artifacts.spec, trained.parameters, data.classNames ? { classNames: data.classNames } : {}),
    );
    metrics.validation = await splitMetrics(mlp, streamed, scoring);
  }
  metrics.test = await splitMetrics(modelBytes, data.test, scoring);
  return metrics;
}

/** A --stream classifier's validation chunks as one Dataset (the card scores and counts it); null otherwise. */
async function streamedValidation(ctx: RunContext): Promise<Dataset | null> {
  const { data } = ctx.run;
  const chunks = data.classNames ? data.stream?.validation() : null;
  if (!chunks) return null;
  const parts: Dataset[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  if (rows === 0) return null;
  const cols = parts[0]!.cols;
  const features = new Float32Array(rows * cols);
  const targets = new Float32Array(rows);
  let at = 0;
  for (const p of parts) {
    features.set(p.features, at * cols);
    targets.set(p.targets, at);
    at += p.rows;
  }
  return { features, rows, cols, targets };
}

/** Rows of each class per split, where the split's targets are in memory. */
function splitClassCounts(ctx: RunContext, streamed: Dataset | null): ModelCard['data']['classCounts'] {
  const { data } = ctx.run;
  if (!data.classNames) return undefined;
  const n = data.classNames.length;
  const validation = data.validationRaw ?? streamed;
  return {
    ...(data.stream ? {} : { train: classCounts(data.train.targets, n) }),
    ...(validation ? { validation: classCounts(validation.targets, n) } : {}),
    test: classCounts(data.test.targets, n),
  };
}

/**
 * The model card's own facts (metadata onnx_mlp.card) for a trained run: `modelBytes` is model.onnx
 * without the card, scored on the validation and test splits.
 */
export async function buildModelCard(ctx: RunContext, trained: TrainedModel, modelBytes: Uint8Array): Promise<ModelCard> {
  const { config } = ctx.run;
  const configuration = Object.fromEntries(Object.entries(ctx.recorded).filter(([k]) => !NOT_IN_CARD.has(k)));
  const excluded = (config.dataset?.exclude ?? []).map((column) => ({ column, reason: 'left out by the trainer (--exclude)' }));
  const streamed = await streamedValidation(ctx);
  const counts = splitClassCounts(ctx, streamed);
  return {
    format: CARD_FORMAT,
    toolkit: `onnx-mlp ${CLI_VERSION}`,
    createdAt: new Date().toISOString(),
    device: ctx.device.device,
    trainingSeconds: Number(trained.history.reduce((s, r) => s + r.seconds, 0).toFixed(3)),
    seed: config.seed,
    configuration,
    data: { files: await dataFiles(ctx), ...(counts ? { classCounts: counts } : {}), ...(excluded.length > 0 ? { excluded } : {}) },
    metrics: await cardMetrics(ctx, trained, modelBytes, streamed),
    history: trained.history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({
      epoch,
      loss,
      ...(accuracy !== undefined ? { accuracy } : {}),
      ...(valLoss !== undefined ? { valLoss } : {}),
      ...(valAccuracy !== undefined ? { valAccuracy } : {}),
    })),
    ...config.card,
  };
}
