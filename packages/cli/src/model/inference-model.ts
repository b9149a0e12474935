import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { MlpSpec, Model, Preprocessing, Task } from '@onnx-mlp/core';
import { DataType, type Value } from '@onnx-mlp/core/ir';
import { validateSpec } from '@onnx-mlp/core/model';
import { validatePreprocessing } from '@onnx-mlp/core/preprocess';
import { META } from '@onnx-mlp/core/internal';
import { UserError } from '../errors.js';
import { ONNX_MLP_KINDS } from '../inspect/onnx-mlp.js';
import { UnreadableModelError, readModelFile } from './read-model.js';
import { dtypeName } from '../inspect/report.js';

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
  constructor(command: string, readonly path: string, what: string) {
    super(`${command} needs an onnx-mlp inference model (model.onnx from a run folder); ${path} is ${what}`);
    this.name = 'NotAnInferenceModelError';
  }
}

const FILE_NAMES: Record<string, string> = {
  training: 'training_model.onnx',
  training_epoch: 'training_epoch_model.onnx',
  eval: 'eval_model.onnx',
  checkpoint: 'checkpoint.ckpt',
};

function describeValues(values: readonly Value[]): string {
  return values.map((v) => `${v.name} ${dtypeName(v.dtype)} [${v.shape.join(', ')}]`).join(', ') || 'none';
}

/** What a non-inference file is, in words, for NotAnInferenceModelError. */
function whatItIs(model: Model): string {
  const kind = model.metadata.get(META.kind);
  if (kind === undefined) {
    return `an ONNX model without onnx-mlp metadata (no ${META.kind}; inputs: ${describeValues(model.graph.inputs)}; `
      + `outputs: ${describeValues(model.graph.outputs)})`;
  }
  const role = (ONNX_MLP_KINDS as Record<string, string>)[kind];
  if (role === undefined) return `an onnx-mlp file of kind ${JSON.stringify(kind)}, which this version does not know`;
  const file = FILE_NAMES[kind];
  return `an onnx-mlp ${role}${file ? ` (a run folder's ${file})` : ''}`;
}

function parseJson(model: Model, key: string, path: string, command: string): unknown {
  const text = model.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NotAnInferenceModelError(command, path, `an onnx-mlp inference model whose metadata ${key} is not valid JSON (${(e as Error).message})`);
  }
}

function valueNamed(values: readonly Value[], name: string): Value | undefined {
  return values.find((v) => v.name === name);
}

/**
 * Reads `path` and checks that it is an onnx-mlp inference model that `command` can run: metadata
 * onnx_mlp.kind `inference`, a valid spec, the input and outputs onnx-mlp writes, consistent class
 * names and preprocessing. Unreadable bytes are an UnreadableModelError naming the file; any other
 * ONNX file a NotAnInferenceModelError saying what it is.
 */
export async function loadInferenceModel(
  path: string, command: string, sessionOptions: ort.InferenceSession.SessionOptions = {},
): Promise<InferenceModel> {
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    const inside = join(path, 'model.onnx');
    const hint = await stat(inside).then(() => `; ${command} ${inside}?`, () => '');
    throw new UnreadableModelError(path, `it is a folder${hint}`);
  }
  const { model } = await readModelFile(path);
  if (model.metadata.get(META.kind) !== 'inference') throw new NotAnInferenceModelError(command, path, whatItIs(model));
  const broken = (why: string): NotAnInferenceModelError => new NotAnInferenceModelError(command, path, `an onnx-mlp inference model that ${why}`);

  const spec = parseJson(model, META.spec, path, command) as MlpSpec | undefined;
  if (spec === undefined) throw broken(`has no ${META.spec} metadata`);
  try {
    validateSpec(spec);
  } catch (e) {
    throw broken(`stores an invalid spec (${(e as Error).message})`);
  }
  const classifier = spec.task !== 'regression';
  const outputWidth = spec.task === 'binary' ? 2 : spec.outputs;

  let classNames: string[] = [];
  if (classifier) {
    const stored = parseJson(model, META.classNames, path, command);
    if (stored === undefined) {
      classNames = Array.from({ length: outputWidth }, (_, i) => String(i));
    } else if (!Array.isArray(stored) || stored.length !== outputWidth || !stored.every((s) => typeof s === 'string')) {
      throw broken(`stores ${META.classNames} that are not ${outputWidth} strings`);
    } else {
      classNames = stored as string[];
      if (new Set(classNames.map((s) => s.trim())).size !== classNames.length) throw broken(`names a class twice in ${META.classNames}`);
    }
  }

  const preprocessing = parseJson(model, META.preprocessing, path, command) as Preprocessing | undefined;
  if (preprocessing !== undefined) {
    try {
      validatePreprocessing(preprocessing);
    } catch (e) {
      throw broken(`stores invalid ${META.preprocessing} (${(e as Error).message})`);
    }
  }
  const training = parseJson(model, META.training, path, command);
  const inputWidth = preprocessing ? preprocessing.columns.length : spec.inputs;

  // The graph itself must have what onnx-mlp writes, or running it would fail with ORT's message.
  const input = valueNamed(model.graph.inputs, 'input');
  if (!input || input.dtype !== DataType.FLOAT || input.shape.length !== 2 || (typeof input.shape[1] === 'number' && input.shape[1] !== inputWidth)) {
    throw broken(`has no float32 input "input" [batch, ${inputWidth}] (it has ${describeValues(model.graph.inputs)})`);
  }
  const wanted = classifier ? ['probabilities', 'label'] : ['prediction'];
  for (const name of wanted) {
    if (!valueNamed(model.graph.outputs, name)) throw broken(`has no output "${name}" (it has ${describeValues(model.graph.outputs)})`);
  }

  const bytes = await readFile(path);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (e) {
    throw new UserError(`${path}: ONNX Runtime cannot load this model (${(e as Error).message})`, { cause: e });
  }
  return {
    path,
    model,
    spec,
    task: spec.task,
    classNames,
    outputWidth,
    ...(preprocessing ? { preprocessing } : {}),
    training: typeof training === 'object' && training !== null && !Array.isArray(training) ? training as Record<string, unknown> : {},
    inputWidth,
    session,
  };
}

/** Runs the model on `rows` rows of `input` ([rows, inputWidth] row-major). */
export async function runBatch(m: InferenceModel, input: Float32Array, rows: number): Promise<BatchOutput> {
  const tensor = new ort.Tensor('float32', input.subarray(0, rows * m.inputWidth), [rows, m.inputWidth]);
  if (m.task === 'regression') {
    const out = await m.session.run({ input: tensor }, ['prediction']);
    return { rows, values: out.prediction!.data as Float32Array };
  }
  const out = await m.session.run({ input: tensor }, ['probabilities', 'label']);
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
