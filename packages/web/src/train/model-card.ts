import type { EpochRecord } from '@onnx-mlp/core';
import { CARD_FORMAT, type CardDataFile, type CardSplitMetrics, type CardStatements, type ModelCard } from '@onnx-mlp/core/artifacts';
import { classCounts, splitMetrics, type TabularData } from '@onnx-mlp/core/tabular';
import type { ResolvedRuntime } from '../runtime.js';
import type { TrainOptions, TrainSettings } from './options.js';

/** SHA-256 through Web Crypto, as lowercase hex. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The training data's size and SHA-256: text as UTF-8 bytes, a Blob/File as its bytes; arrays are no file (none). */
export async function dataFileFacts(data: TrainOptions['data'], file: string): Promise<CardDataFile[]> {
  const isBlob = typeof Blob !== 'undefined' && data instanceof Blob;
  if (typeof data !== 'string' && !isBlob) return [];
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(await (data as Blob).arrayBuffer());
  return [{ role: 'data', file, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }];
}

/** What the web package's model card is made of. */
export interface WebCardParts {
  readonly runtime: ResolvedRuntime;
  readonly settings: TrainSettings;
  readonly data: TabularData;
  readonly files: readonly CardDataFile[];
  readonly history: readonly EpochRecord[];
  readonly statements: CardStatements | undefined;
  readonly producer: string;
}

/** The model card (metadata onnx_mlp.card) of a model trained in the browser, `model` being its bytes without the card. */
export async function webModelCard(p: WebCardParts, model: Uint8Array): Promise<ModelCard> {
  const { data, settings, runtime } = p;
  const scoring = { ort: runtime.ort, task: data.task, classNames: data.classNames, sessionOptions: runtime.cpuSessionOptions };
  const metrics: { validation?: CardSplitMetrics; test?: CardSplitMetrics } = {
    ...(data.validation ? { validation: await splitMetrics(model, data.validation.raw, scoring) } : {}),
    test: await splitMetrics(model, data.test.raw, scoring),
  };
  const n = data.classNames?.length ?? 0;
  const classCountsBySplit = data.classNames
    ? {
        train: classCounts(data.train.raw.targets, n),
        ...(data.validation ? { validation: classCounts(data.validation.raw.targets, n) } : {}),
        test: classCounts(data.test.raw.targets, n),
      }
    : undefined;
  const excluded = settings.dataset.exclude.map((column) => ({ column, reason: 'left out by the trainer (exclude option)' }));
  return {
    format: CARD_FORMAT,
    toolkit: p.producer,
    createdAt: new Date().toISOString(),
    // An injected onnxruntime-node runs on the CPU, as the CLI's default device says.
    device: runtime.backend === 'native' ? 'cpu' : runtime.backend,
    trainingSeconds: Number(p.history.reduce((s, r) => s + r.seconds, 0).toFixed(3)),
    seed: settings.seed,
    configuration: { ...settings },
    data: {
      files: p.files,
      ...(classCountsBySplit ? { classCounts: classCountsBySplit } : {}),
      ...(excluded.length > 0 ? { excluded } : {}),
    },
    metrics,
    history: p.history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({
      epoch,
      loss,
      ...(accuracy !== undefined ? { accuracy } : {}),
      ...(valLoss !== undefined ? { valLoss } : {}),
      ...(valAccuracy !== undefined ? { valAccuracy } : {}),
    })),
    ...(p.statements ?? {}),
  };
}
