import { ModelDecodeError, decodeModel, type Model as OnnxModel } from '@onnx-mlp/core';
import { type CardView, MISSING_INPUT_NAME, maskMissingCells } from '@onnx-mlp/core/artifacts';
import type { InferenceSession } from 'onnxruntime-common';
import { WebModelError } from './errors.js';
import { modelInfo, type ModelInfo } from './model-info.js';
import { describeForeignModel, readOnnxMlpMetadata, type ForeignModel, type OnnxMlpMetadata } from './model-metadata.js';
import { readModelBytes, sourceName, type ModelSource } from './model-source.js';
import { cardAndVerification, type ModelVerification } from './model-verification.js';
import { resolveRuntime, type Backend, type OrtModule, type RuntimeOptions } from './runtime.js';
import {
  type ArrayPrediction,
  classLabels,
  joinFloat,
  type OutputChunks,
  type Prediction,
  toPredictions,
  valueLabels,
} from './prediction-output.js';
import { encodeRecordRows } from './record-rows.js';
import { type ArrayExplanation, type ExplainOptions, type Explanation, Explainer, recordExplanations } from './model-explain.js';

/** How loadModel picks its runtime (see RuntimeOptions for each default). */
export type LoadModelOptions = RuntimeOptions;

export type { ArrayPrediction, Prediction } from './prediction-output.js';

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
  /**
   * Runs the model on `rows` rows of its input ([rows, width] row-major floats, a view into a larger
   * array is fine). ONNX Runtime reads the rows in place, 4,096 at a time, as the runs go: leave
   * `features` unchanged until the promise settles.
   */
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
  /** The outputs each run fetches: made once, as they never change. */
  private readonly outputNames: readonly string[];

  constructor(private readonly parts: LoadedParts) {
    const { meta } = parts;
    this.inputColumns = meta?.preprocessing?.columns.map((c) => c.name) ?? null;
    this.classNames = meta && meta.task !== 'regression' ? meta.classNames : null;
    this.task = meta?.task ?? null;
    this.info = parts.info;
    this.backend = parts.backend;
    this.card = parts.card;
    this.verification = parts.verification;
    if (!meta) this.outputNames = parts.foreign!.outputs;
    else this.outputNames = meta.task === 'regression' ? ['prediction'] : ['probabilities', 'label'];
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
    const input = encodeRecordRows(p, this.inputColumns!, records);
    return { meta, input };
  }

  async predictArrays(features: Float32Array, rows: number): Promise<ArrayPrediction> {
    const width = this.parts.meta?.inputWidth ?? this.foreignInput().width ?? (rows > 0 ? features.length / rows : 0);
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(width) || features.length !== rows * width) {
      throw new WebModelError('bad-input', `predictArrays: ${features.length} values are not ${rows} rows of ${width} features`);
    }
    const runs: InferenceSession.OnnxValueMapType[] = [];
    for (let start = 0; start < rows; start += ROWS_PER_RUN) {
      const n = Math.min(ROWS_PER_RUN, rows - start);
      const batch = this.runInput(features, start * width, (start + n) * width);
      runs.push(await this.parts.session.run(this.feeds(batch, [n, width]), this.outputNames));
    }
    return this.arrayPrediction(rows, (name) => runs.map((out) => out[name]!.data as ArrayLike<number | bigint>));
  }

  /**
   * Rows [from, to) of `features` as one run's input: a view, as ORT reads its input during the run
   * and keeps no reference after it (copying MNIST rows cost 10–30% of their runs' time). A copy
   * per run only where a view cannot go: ORT-web in proxy mode transfers each input's whole buffer
   * to its worker (detaching the caller's array, and a later chunk's view of it), and
   * onnxruntime-node refuses a view of a SharedArrayBuffer ("Invalid argument").
   */
  private runInput(features: Float32Array, from: number, to: number): Float32Array {
    const native = this.backend === 'native';
    if (native ? isShared(features.buffer) : this.parts.ort.env.wasm?.proxy === true) return features.slice(from, to);
    return from === 0 && to === features.length ? features : features.subarray(from, to);
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
    if (this.parts.meta?.missingForm !== 'mask') return { [this.inputName()]: new T('float32', batch, dims) };
    const { input, missing } = maskMissingCells(batch);
    return { input: new T('float32', input, dims), [MISSING_INPUT_NAME]: new T('float32', missing, dims) };
  }

  private inputName(): string {
    return this.parts.meta ? 'input' : this.foreignInput().name;
  }

  private arrayPrediction(rows: number, chunksOf: (output: string) => OutputChunks): ArrayPrediction {
    const meta = this.parts.meta;
    if (meta && meta.task !== 'regression') {
      const labels = classLabels(chunksOf('label'), meta.classNames);
      return { rows, outputs: meta.outputWidth, probabilities: joinFloat(chunksOf('probabilities')), labels };
    }
    const name = meta ? 'prediction' : this.outputNames.find((o) => chunksOf(o).every((c) => c instanceof Float32Array));
    if (name === undefined) throw new WebModelError('unsupported-input', `${this.parts.name} has no float32 output to report`);
    const values = joinFloat(chunksOf(name));
    const outputs = rows === 0 ? (meta?.outputWidth ?? 0) : values.length / rows;
    return { rows, outputs, values, labels: valueLabels(values, rows, outputs) };
  }
}

/** Whether `buffer` is a SharedArrayBuffer (which not every JavaScript environment has). */
function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}
