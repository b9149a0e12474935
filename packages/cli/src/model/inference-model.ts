import * as ort from 'onnxruntime-node';
import type { MlpSpec, Model, Preprocessing, Task } from '@onnx-mlp/core';
import { NotInferenceModelError, readInferenceMetadata, type InferenceMetadata } from '@onnx-mlp/core/inspect';
import { MISSING_INPUT_NAME, type MissingForm, maskMissingCells } from '@onnx-mlp/core/artifacts';
import { UserError } from '../errors.js';
import { requireIntact } from '../integrity/require-intact.js';
import { readModelFile } from './read-model.js';

/**
 * An onnx-mlp inference model (a run folder's `model.onnx`), decoded and ready to run: its stored
 * spec, class names, preprocessing and training facts, and an onnxruntime-node session.
 */
export interface InferenceModel {
  readonly path: string;
  readonly model: Model;
  readonly spec: MlpSpec;
  readonly task: Task;
  /** Class names in output order (classifiers): metadata onnx_mlp.class_names, else "0".."C-1". */
  readonly classNames: readonly string[];
  /** Columns of `probabilities` (classifiers: 2 for binary models), or of `prediction` (regression). */
  readonly outputWidth: number;
  /** Preprocessing baked into the graph: the input is then one raw value per column, by name. */
  readonly preprocessing?: Preprocessing;
  /** Metadata onnx_mlp.training (data, epochs, label column...), when stored. */
  readonly training: Readonly<Record<string, unknown>>;
  /** Width of the `input` tensor: preprocessing columns, or spec.inputs. */
  readonly inputWidth: number;
  /** How the graph takes missing cells: NaN in `input`, or (an export) a `missing` mask input made here from the NaN cells. */
  readonly missingForm: MissingForm;
  readonly session: ort.InferenceSession;
}

/** What one batch of rows gives: probabilities and labels (classifiers) or predictions (regression). */
export interface BatchOutput {
  readonly rows: number;
  /** [rows, outputWidth] row-major: class probabilities, or regression predictions. */
  readonly values: Float32Array;
  /** The model's `label` output (classifiers), as class indices. */
  readonly labels?: Int32Array;
}

/** A file that is ONNX but not something predict/evaluate can run; the message says what it is. */
export class NotAnInferenceModelError extends UserError {
  constructor(
    command: string,
    readonly path: string,
    what: string,
  ) {
    super(`${command} needs an onnx-mlp inference model (model.onnx from a run folder); ${path} is ${what}`);
    this.name = 'NotAnInferenceModelError';
  }
}

/** How loadInferenceModel opens a model. */
export interface LoadModelOptions {
  readonly sessionOptions?: ort.InferenceSession.SessionOptions;
  /**
   * Refuse a model whose stored integrity digest its contents fail (a model without one passes).
   * @defaultValue true
   */
  readonly verify?: boolean;
}

/**
 * Reads `path` and checks that it is an onnx-mlp inference model that `command` can run (core's
 * readInferenceMetadata: metadata onnx_mlp.kind `inference`, a valid spec, the input and outputs
 * onnx-mlp writes, consistent class names and preprocessing). Unreadable bytes are an
 * UnreadableModelError naming the file; any other ONNX file a NotAnInferenceModelError saying what it is;
 * a model that fails its integrity digest a ModelIntegrityError, unless `verify` is false.
 */
export async function loadInferenceModel(path: string, command: string, options: LoadModelOptions = {}): Promise<InferenceModel> {
  const { model, data } = await readModelFile(path, command);
  if (options.verify ?? true) await requireIntact(path, model);
  let meta: InferenceMetadata;
  try {
    meta = readInferenceMetadata(model);
  } catch (e) {
    if (e instanceof NotInferenceModelError) throw new NotAnInferenceModelError(command, path, e.what);
    throw e;
  }
  const { spec, preprocessing } = meta;

  let session: ort.InferenceSession;
  try {
    // The bytes already decoded and checked, not a second read that could find another file.
    session = await ort.InferenceSession.create(data, options.sessionOptions ?? {});
  } catch (e) {
    throw new UserError(`${path}: ONNX Runtime cannot load this model (${(e as Error).message})`, { cause: e });
  }
  return {
    path,
    model,
    spec,
    task: spec.task,
    classNames: meta.classNames,
    outputWidth: meta.outputWidth,
    ...(preprocessing ? { preprocessing } : {}),
    training: meta.training,
    inputWidth: meta.inputWidth,
    missingForm: meta.missingForm,
    session,
  };
}

/** Where a batch's rows come from: the data file and the 1-based number of its first data row. */
export interface BatchOrigin {
  readonly file: string;
  readonly firstRow: number;
}

/**
 * Runs the model on `rows` rows of `input` ([rows, inputWidth] row-major). An error of ONNX Runtime
 * is a UserError naming the model, the data file and the rows of the batch.
 */
export async function runBatch(m: InferenceModel, input: Float32Array, rows: number, origin?: BatchOrigin): Promise<BatchOutput> {
  try {
    return await runModel(m, input, rows);
  } catch (e) {
    const where = origin ? ` on rows ${origin.firstRow}-${origin.firstRow + rows - 1} of ${origin.file}` : '';
    throw new UserError(`${m.path}: ONNX Runtime failed${where}: ${(e as Error).message}`, { cause: e });
  }
}

/** The feeds for `rows` rows: `input` as it is, or for the mask form its NaN cells as 0 and `missing` 1 there. */
function feedsOf(m: InferenceModel, input: Float32Array, rows: number): Record<string, ort.Tensor> {
  const dims = [rows, m.inputWidth];
  const raw = input.subarray(0, rows * m.inputWidth);
  if (m.missingForm === 'nan') return { input: new ort.Tensor('float32', raw, dims) };
  const { input: filled, missing } = maskMissingCells(raw);
  return { input: new ort.Tensor('float32', filled, dims), [MISSING_INPUT_NAME]: new ort.Tensor('float32', missing, dims) };
}

async function runModel(m: InferenceModel, input: Float32Array, rows: number): Promise<BatchOutput> {
  const feeds = feedsOf(m, input, rows);
  if (m.task === 'regression') {
    const out = await m.session.run(feeds, ['prediction']);
    return { rows, values: out.prediction!.data as Float32Array };
  }
  const out = await m.session.run(feeds, ['probabilities', 'label']);
  const labels = Int32Array.from(out.label!.data as BigInt64Array, Number);
  return { rows, values: out.probabilities!.data as Float32Array, labels };
}

/** The label column(s) the model was trained with, from metadata onnx_mlp.training `label`, if stored. */
export function storedLabelColumns(m: InferenceModel): string[] | undefined {
  const label = m.training.label;
  if (typeof label === 'string' && label !== '') return [label];
  if (Array.isArray(label) && label.length > 0 && label.every((l) => typeof l === 'string' && l !== '')) return label as string[];
  return undefined;
}
