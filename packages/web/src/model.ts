import { DataError, ModelDecodeError, decodeModel, encodeRecord, type Model as OnnxModel } from '@onnx-mlp/core';
import { type CardView, MISSING_INPUT_NAME } from '@onnx-mlp/core/artifacts';
import { argmax } from '@onnx-mlp/core/metrics';
import type { InferenceSession } from 'onnxruntime-common';
import { WebModelError } from './errors.js';
import { modelInfo, type ModelInfo } from './model-info.js';
import { describeForeignModel, readOnnxMlpMetadata, type ForeignModel, type OnnxMlpMetadata } from './model-metadata.js';
import { readModelBytes, sourceName, type ModelSource } from './model-source.js';
import { cardAndVerification, type ModelVerification } from './model-verification.js';
import { resolveRuntime, type Backend, type OrtModule, type RuntimeOptions } from './runtime.js';
import { type ArrayExplanation, type ExplainOptions, type Explanation, Explainer, recordExplanations } from './model-explain.js';

/** How loadModel picks its runtime (see RuntimeOptions for each default). */
export type LoadModelOptions = RuntimeOptions;

/** One record's prediction: the class (with every class's probability) or the regression value. */
export interface Prediction {
  /** The class name (classifiers) or the predicted value (regression). */
  label: string | number;
  /** Classifiers: the probability of every class, by class name. */
  probabilities?: Record<string, number>;
  /** Regression: the (first) predicted value. */
  value?: number;
  /** Regression with several targets: every predicted value, in label-column order. */
  values?: number[];
}

/** The outputs of predictArrays, row-major. */
export interface ArrayPrediction {
  rows: number;
  /** Values per row in `probabilities` or `values`. */
  outputs: number;
  /** Classifiers: [rows, outputs] class probabilities. */
  probabilities?: Float32Array;
  /** Regression (and models onnx-mlp did not make: their first float output): [rows, outputs]. */
  values?: Float32Array;
  /** Per row: the class name, the value (one-output regression), or the argmax index (foreign models with several outputs). */
  labels: (string | number)[];
}

/** A loaded model, ready to predict. */
export interface Model {
  /** The raw columns `predict` takes, in input order; null: not an onnx-mlp model with preprocessing (arrays only). */
  readonly inputColumns: readonly string[] | null;
  /** Class names in output order; null for regression and for models onnx-mlp did not make. */
  readonly classNames: readonly string[] | null;
  readonly task: 'multiclass' | 'binary' | 'regression' | null;
  /** What `onnx-mlp inspect` shows: layers, inputs, classes, preprocessing, training facts. */
  readonly info: ModelInfo;
  /**
   * The model card, as `onnx-mlp card --json` gives it: `card.card` is metadata onnx_mlp.card (null
   * for a model without one), beside the facts it cites (training, preprocessing, class names) and
   * any other onnx_mlp.* entry in `card.extras`.
   */
  readonly card: CardView;
  /** The integrity digest recomputed over the loaded bytes and compared with the stored one. */
  readonly verification: ModelVerification;
  readonly backend: Backend;
  /** Predicts raw records (objects keyed by column; categories as strings, missing values as null or ''). */
  predict(records: readonly Record<string, unknown>[]): Promise<Prediction[]>;
  /** Runs the model on `rows` rows of its input ([rows, width] row-major floats). */
  predictArrays(features: Float32Array, rows: number): Promise<ArrayPrediction>;
  /**
   * Explains `rows` rows of its input ([rows, width] row-major raw values, as predictArrays takes):
   * each column's attribution toward the predicted class (or the regression output), computed by
   * the explain ONNX graph core builds from this model (integrated gradients by default).
   */
  explainArrays(features: Float32Array, rows: number, options?: ExplainOptions): Promise<ArrayExplanation>;
  /** Explains raw records (as predict takes them): per record, each column's attribution by name. */
  explain(records: readonly Record<string, unknown>[], options?: ExplainOptions): Promise<Explanation[]>;
  /** Releases the ONNX Runtime session. */
  dispose(): Promise<void>;
}

/** Rows per session run, so huge inputs do not need one huge tensor. */
const ROWS_PER_RUN = 4096;

function decode(bytes: Uint8Array, name: string): OnnxModel {
  try {
    return decodeModel(bytes, { lenient: true });
  } catch (e) {
    if (!(e instanceof ModelDecodeError)) throw e;
    const why = bytes.length === 0 ? 'it is empty' : (/^not an ONNX model \((.*)\)$/s.exec(e.message)?.[1] ?? e.message);
    throw new WebModelError('not-onnx', `${name} is not an ONNX model (${why})`, { cause: e });
  }
}

/**
 * Loads a model from a URL, its bytes or a Blob/File: reads onnx-mlp's metadata from the bytes
 * (onnxruntime-web has no metadata API) and hands the same bytes to `InferenceSession.create`.
 * Rejects with a WebModelError: 'fetch-failed' (naming the URL and status), 'not-onnx',
 * 'not-inference-model', or 'runtime'.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  const name = sourceName(source);
  const bytes = await readModelBytes(source);
  const decoded = decode(bytes, name);
  // Protobuf has no magic number: random bytes can decode as an empty ModelProto.
  if (decoded.graph.nodes.length === 0 && decoded.graph.outputs.length === 0) {
    throw new WebModelError('not-onnx', `${name} is not an ONNX model (it decodes to no graph: no nodes, no outputs)`);
  }
  const meta = readOnnxMlpMetadata(decoded, name);
  const { card, verification } = await cardAndVerification(decoded);
  const runtime = await resolveRuntime(options);
  let session: InferenceSession;
  try {
    session = await runtime.ort.InferenceSession.create(bytes, runtime.sessionOptions);
  } catch (e) {
    throw new WebModelError('runtime', `${name}: ONNX Runtime cannot load this model (${(e as Error).message})`, { cause: e });
  }
  return new LoadedModel({
    name,
    ort: runtime.ort,
    session,
    backend: runtime.backend,
    meta,
    foreign: meta ? null : describeForeignModel(decoded),
    info: modelInfo(decoded, bytes.length, meta),
    explainer: new Explainer({ name, ort: runtime.ort, sessionOptions: runtime.sessionOptions, decoded }),
    card,
    verification,
  });
}

interface LoadedParts {
  readonly name: string;
  readonly ort: OrtModule;
  readonly session: InferenceSession;
  readonly backend: Backend;
  readonly meta: OnnxMlpMetadata | null;
  readonly foreign: ForeignModel | null;
  readonly info: ModelInfo;
  readonly explainer: Explainer;
  readonly card: CardView;
  readonly verification: ModelVerification;
}

class LoadedModel implements Model {
  readonly inputColumns: readonly string[] | null;
  readonly classNames: readonly string[] | null;
  readonly task: Model['task'];
  readonly info: ModelInfo;
  readonly backend: Backend;
  readonly card: CardView;
  readonly verification: ModelVerification;

  constructor(private readonly parts: LoadedParts) {
    const { meta } = parts;
    this.inputColumns = meta?.preprocessing?.columns.map((c) => c.name) ?? null;
    this.classNames = meta && meta.task !== 'regression' ? meta.classNames : null;
    this.task = meta?.task ?? null;
    this.info = parts.info;
    this.backend = parts.backend;
    this.card = parts.card;
    this.verification = parts.verification;
  }

  async predict(records: readonly Record<string, unknown>[]): Promise<Prediction[]> {
    const { meta, input } = this.encodeRecords(records, 'predict(records)', 'predictArrays(features, rows)');
    const out = await this.predictArrays(input, records.length);
    return toPredictions(out, meta);
  }

  async explain(records: readonly Record<string, unknown>[], options: ExplainOptions = {}): Promise<Explanation[]> {
    const { input } = this.encodeRecords(records, 'explain(records)', 'explainArrays(features, rows)');
    return recordExplanations(await this.explainArrays(input, records.length, options), input);
  }

  /** Raw records as the model's input rows; only a model with onnx-mlp preprocessing can encode them. */
  private encodeRecords(records: readonly Record<string, unknown>[], method: string, instead: string) {
    const meta = this.parts.meta;
    const p = meta?.preprocessing;
    if (!meta || !p) {
      const what = meta
        ? 'an onnx-mlp model trained without preprocessing (on arrays, like MNIST)'
        : 'an ONNX model without onnx-mlp metadata';
      throw new WebModelError(
        'not-onnx-mlp',
        `${this.parts.name} is ${what}: ${method} needs the onnx-mlp preprocessing metadata to encode records; use ${instead}`,
      );
    }
    const width = p.columns.length;
    const input = new Float32Array(records.length * width);
    records.forEach((record, i) =>
      input.set(
        encodeOne(
          p.columns.map((c) => c.name),
          record,
          (r) => encodeRecord(p, r, `record ${i + 1}`),
          i,
        ),
        i * width,
      ),
    );
    return { meta, input };
  }

  async predictArrays(features: Float32Array, rows: number): Promise<ArrayPrediction> {
    const width = this.parts.meta?.inputWidth ?? this.foreignInput().width ?? (rows > 0 ? features.length / rows : 0);
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(width) || features.length !== rows * width) {
      throw new WebModelError('bad-input', `predictArrays: ${features.length} values are not ${rows} rows of ${width} features`);
    }
    const outputs = this.outputNames();
    const parts: Record<string, ArrayLike<number | bigint>[]> = Object.fromEntries(outputs.map((o) => [o, []]));
    for (let start = 0; start < rows; start += ROWS_PER_RUN) {
      const n = Math.min(ROWS_PER_RUN, rows - start);
      const out = await this.parts.session.run(this.feeds(features.subarray(start * width, (start + n) * width), [n, width]), outputs);
      for (const o of outputs) parts[o]!.push(out[o]!.data as ArrayLike<number | bigint>);
    }
    return this.arrayPrediction(rows, parts);
  }

  explainArrays(features: Float32Array, rows: number, options: ExplainOptions = {}): Promise<ArrayExplanation> {
    return this.parts.explainer.explainArrays(features, rows, options);
  }

  async dispose(): Promise<void> {
    await this.parts.explainer.release();
    await this.parts.session.release();
  }

  private foreignInput(): { name: string; width: number | null } {
    const input = this.parts.foreign?.input;
    if (!input) {
      const inputs = this.info.inputs.map((v) => `${v.name} ${v.dtype} [${v.shape.join(', ')}]`).join(', ');
      throw new WebModelError(
        'unsupported-input',
        `${this.parts.name} is not an onnx-mlp model and its input is not a float32 matrix [batch, features] (it has ${inputs}); predictArrays cannot feed it`,
      );
    }
    return input;
  }

  /** A batch's feeds: `input`, and for a model exported with a mask input, its NaN cells as 0 and `missing` 1 there. */
  private feeds(batch: Float32Array, dims: number[]): InferenceSession.FeedsType {
    const { Tensor: T } = this.parts.ort;
    if (this.parts.meta?.missingForm !== 'mask') return { [this.inputName()]: new T('float32', batch.slice(), dims) };
    return {
      input: new T(
        'float32',
        batch.map((v) => (Number.isNaN(v) ? 0 : v)),
        dims,
      ),
      [MISSING_INPUT_NAME]: new T(
        'float32',
        batch.map((v) => (Number.isNaN(v) ? 1 : 0)),
        dims,
      ),
    };
  }

  private inputName(): string {
    return this.parts.meta ? 'input' : this.foreignInput().name;
  }

  private outputNames(): string[] {
    const meta = this.parts.meta;
    if (!meta) return [...this.parts.foreign!.outputs];
    return meta.task === 'regression' ? ['prediction'] : ['probabilities', 'label'];
  }

  private arrayPrediction(rows: number, parts: Record<string, ArrayLike<number | bigint>[]>): ArrayPrediction {
    const meta = this.parts.meta;
    if (meta && meta.task !== 'regression') {
      const probabilities = joinFloat(parts.probabilities!);
      const labels = parts.label!.flatMap((chunk) => Array.from(chunk as BigInt64Array, (l) => meta.classNames[Number(l)] ?? Number(l)));
      return { rows, outputs: meta.outputWidth, probabilities, labels };
    }
    const name = meta ? 'prediction' : this.parts.foreign!.outputs.find((o) => parts[o]!.every((c) => c instanceof Float32Array));
    if (name === undefined) throw new WebModelError('unsupported-input', `${this.parts.name} has no float32 output to report`);
    const values = joinFloat(parts[name]!);
    const outputs = rows === 0 ? (meta?.outputWidth ?? 0) : values.length / rows;
    const labels = Array.from({ length: rows }, (_, r) => (outputs === 1 ? values[r]! : argmax(values, r * outputs, outputs)));
    return { rows, outputs, values, labels };
  }
}

/** Checks that `record` has every column (naming the missing one) and encodes it, as a typed error. */
function encodeOne(
  columns: readonly string[],
  record: Record<string, unknown>,
  encode: (r: Record<string, unknown>) => Float32Array,
  index: number,
): Float32Array {
  if (typeof record !== 'object' || record === null) {
    throw new WebModelError(
      'bad-input',
      `record ${index + 1} is ${record === null ? 'null' : typeof record}, not an object keyed by column name`,
    );
  }
  const missing = columns.filter((c) => !(c in record));
  if (missing.length > 0) {
    const which = missing.length === 1 ? `column "${missing[0]}"` : `columns ${missing.map((c) => `"${c}"`).join(', ')}`;
    throw new WebModelError(
      'missing-column',
      `record ${index + 1} has no ${which}; the model expects the columns ${columns.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  try {
    return encode(record);
  } catch (e) {
    if (e instanceof DataError) throw new WebModelError('bad-value', e.message, { cause: e });
    throw e;
  }
}

function joinFloat(chunks: readonly ArrayLike<number | bigint>[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c as Float32Array, at);
    at += c.length;
  }
  return out;
}

function toPredictions(out: ArrayPrediction, meta: OnnxMlpMetadata): Prediction[] {
  const w = out.outputs;
  return Array.from({ length: out.rows }, (_, r): Prediction => {
    if (out.probabilities) {
      const probabilities = Object.fromEntries(meta.classNames.map((c, k) => [c, out.probabilities![r * w + k]!]));
      return { label: out.labels[r]!, probabilities };
    }
    const values = Array.from(out.values!.subarray(r * w, (r + 1) * w));
    return { label: values[0]!, value: values[0]!, ...(w > 1 ? { values } : {}) };
  });
}
