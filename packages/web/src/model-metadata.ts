// TODO(core): this mirrors the checks of packages/cli/src/model/inference-model.ts (loadInferenceModel);
// the metadata reading and checking belong in core (e.g. `readInferenceMetadata(model)`) for both to share.
import { type MlpSpec, type Model, type Preprocessing, type Task } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { DataType, type Value } from '@onnx-mlp/core/ir';
import { validateSpec } from '@onnx-mlp/core/model';
import { validatePreprocessing } from '@onnx-mlp/core/preprocess';
import { WebModelError } from './errors.js';

/** onnx-mlp's facts about a model.onnx, read from its metadata and checked against its graph. */
export interface OnnxMlpMetadata {
  readonly spec: MlpSpec;
  readonly task: Task;
  /** Class names in output order (metadata onnx_mlp.class_names, else "0".."C-1"); empty for regression. */
  readonly classNames: readonly string[];
  /** Columns of `probabilities` (classifiers: 2 for binary) or of `prediction` (regression). */
  readonly outputWidth: number;
  readonly preprocessing: Preprocessing | null;
  /** Metadata onnx_mlp.training (data, epochs, label, test accuracy…), {} when absent. */
  readonly training: Readonly<Record<string, unknown>>;
  /** Width of the `input` tensor: preprocessing columns, or spec.inputs. */
  readonly inputWidth: number;
}

/** A model not made by onnx-mlp: what predictArrays needs to run it. */
export interface ForeignModel {
  /** Its first graph input, if that is a float matrix [batch, width]; else null. */
  readonly input: { readonly name: string; readonly width: number | null } | null;
  readonly outputs: readonly string[];
}

function describeValues(values: readonly Value[]): string {
  return values.map((v) => `${v.name} [${v.shape.join(', ')}]`).join(', ') || 'none';
}

function parseJson(model: Model, key: string, name: string): unknown {
  const text = model.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WebModelError('not-inference-model', `${name}: metadata ${key} is not valid JSON (${(e as Error).message})`);
  }
}

function readClassNames(model: Model, spec: MlpSpec, outputWidth: number, broken: (why: string) => WebModelError): string[] {
  if (spec.task === 'regression') return [];
  const stored = parseJson(model, META.classNames, '');
  if (stored === undefined) return Array.from({ length: outputWidth }, (_, i) => String(i));
  if (!Array.isArray(stored) || stored.length !== outputWidth || !stored.every((s) => typeof s === 'string')) {
    throw broken(`stores ${META.classNames} that are not ${outputWidth} strings`);
  }
  return stored as string[];
}

/**
 * onnx-mlp's metadata of `model`, checked as the CLI's predict checks it; null for a model without
 * onnx_mlp.kind (not made by onnx-mlp). An onnx-mlp file that is not a model.onnx, or whose metadata
 * does not fit its graph, is a WebModelError 'not-inference-model'.
 */
export function readOnnxMlpMetadata(model: Model, name: string): OnnxMlpMetadata | null {
  const kind = model.metadata.get(META.kind);
  if (kind === undefined) return null;
  if (kind !== 'inference') {
    throw new WebModelError('not-inference-model', `${name} is an onnx-mlp ${kind} file, not an inference model (a run's model.onnx)`);
  }
  const broken = (why: string) => new WebModelError('not-inference-model', `${name} is an onnx-mlp inference model that ${why}`);
  const spec = parseJson(model, META.spec, name) as MlpSpec | undefined;
  if (spec === undefined) throw broken(`has no ${META.spec} metadata`);
  try {
    validateSpec(spec);
  } catch (e) {
    throw broken(`stores an invalid spec (${(e as Error).message})`);
  }
  const outputWidth = spec.task === 'binary' ? 2 : spec.outputs;
  const classNames = readClassNames(model, spec, outputWidth, broken);
  const preprocessing = (parseJson(model, META.preprocessing, name) as Preprocessing | undefined) ?? null;
  if (preprocessing !== null) {
    try {
      validatePreprocessing(preprocessing);
    } catch (e) {
      throw broken(`stores invalid ${META.preprocessing} (${(e as Error).message})`);
    }
  }
  const training = parseJson(model, META.training, name);
  const inputWidth = preprocessing ? preprocessing.columns.length : spec.inputs;
  const input = model.graph.inputs.find((v) => v.name === 'input');
  if (!input || input.dtype !== DataType.FLOAT || input.shape.length !== 2) {
    throw broken(`has no float32 input "input" [batch, ${inputWidth}] (it has ${describeValues(model.graph.inputs)})`);
  }
  for (const out of spec.task === 'regression' ? ['prediction'] : ['probabilities', 'label']) {
    if (!model.graph.outputs.some((v) => v.name === out)) throw broken(`has no output "${out}" (it has ${describeValues(model.graph.outputs)})`);
  }
  return {
    spec, task: spec.task, classNames, outputWidth, preprocessing, inputWidth,
    training: typeof training === 'object' && training !== null && !Array.isArray(training) ? training as Record<string, unknown> : {},
  };
}

/** What predictArrays needs to know about a model onnx-mlp did not make. */
export function describeForeignModel(model: Model): ForeignModel {
  const first = model.graph.inputs.find((v) => !model.graph.initializers.has(v.name));
  const matrix = first && first.dtype === DataType.FLOAT && first.shape.length === 2;
  const width = matrix && typeof first.shape[1] === 'number' ? first.shape[1] : null;
  return {
    input: matrix ? { name: first.name, width } : null,
    outputs: model.graph.outputs.map((v) => v.name),
  };
}
