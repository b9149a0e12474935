import { META } from '../artifacts/metadata.js';
import { MISSING_INPUT_NAME, type MissingForm, missingForm } from '../artifacts/missing-input.js';
import { DataType } from '../ir/dtype.js';
import type { Model, Value } from '../ir/graph.js';
import { OnnxMlpError } from '../errors.js';
import { validateSpec, type MlpSpec, type Task } from '../model/spec.js';
import { validatePreprocessing, type Preprocessing } from '../preprocess/schema.js';
import type { TargetScaling } from '../preprocess/target-scaling.js';
import { ONNX_MLP_KINDS } from './onnx-mlp-facts.js';
import { dtypeName } from './report.js';

/** What an onnx-mlp model.onnx says about itself, read from its metadata and checked against its graph. */
export interface InferenceMetadata {
  readonly spec: MlpSpec;
  readonly task: Task;
  /** Class names in output order (classifiers): metadata onnx_mlp.class_names, else "0".."C-1"; empty for regression. */
  readonly classNames: readonly string[];
  /** Columns of `probabilities` (classifiers: 2 for binary models), or of `prediction` (regression). */
  readonly outputWidth: number;
  /** Preprocessing baked into the graph: the input is then one raw value per column, by name. */
  readonly preprocessing: Preprocessing | null;
  /** Metadata onnx_mlp.training (data, epochs, label column…), {} when absent. */
  readonly training: Readonly<Record<string, unknown>>;
  /** Width of the `input` tensor: preprocessing columns, or spec.inputs. */
  readonly inputWidth: number;
  /** How missing cells are passed: NaN in `input`, or (an export) a second input `missing` of the same shape, 1 = missing. */
  readonly missingForm: MissingForm;
  /** Regression: metadata onnx_mlp.target_scaling, the standardisation the graph's end undoes; else null. */
  readonly targetScaling: TargetScaling | null;
}

/**
 * A model that is not an onnx-mlp inference model records can be predicted from. `what` says what it
 * is instead ("an onnx-mlp checkpoint (a run folder's checkpoint.ckpt)", "an onnx-mlp inference model
 * that has no output "label" …"), for a front end to put after the model's name.
 */
export class NotInferenceModelError extends OnnxMlpError {
  constructor(readonly what: string) {
    super(`not an onnx-mlp inference model: it is ${what}`, { code: 'NOT_INFERENCE_MODEL', fields: { what }, userError: true });
    this.name = 'NotInferenceModelError';
  }
}

const FILE_NAMES: Record<string, string> = {
  training: 'training_model.onnx',
  training_epoch: 'training_epoch_model.onnx',
  eval: 'eval_model.onnx',
  checkpoint: 'checkpoint.ckpt',
};

/** A graph's inputs or outputs in words: `input float32 [batch, 4], …`. */
export function describeValues(values: readonly Value[]): string {
  return values.map((v) => `${v.name} ${dtypeName(v.dtype)} [${v.shape.join(', ')}]`).join(', ') || 'none';
}

/** What a model that is not an inference model is, in words. */
export function whatModelIs(model: Model): string {
  const kind = model.metadata.get(META.kind);
  if (kind === undefined) {
    return (
      `an ONNX model without onnx-mlp metadata (no ${META.kind}; inputs: ${describeValues(model.graph.inputs)}; ` +
      `outputs: ${describeValues(model.graph.outputs)})`
    );
  }
  const role = (ONNX_MLP_KINDS as Record<string, string>)[kind];
  if (role === undefined) return `an onnx-mlp file of kind ${JSON.stringify(kind)}, which this version does not know`;
  const file = FILE_NAMES[kind];
  return `an onnx-mlp ${role}${file ? ` (a run folder's ${file})` : ''}`;
}

function parseJson(model: Model, key: string): unknown {
  const text = model.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NotInferenceModelError(`an onnx-mlp inference model whose metadata ${key} is not valid JSON (${(e as Error).message})`);
  }
}

const broken = (why: string) => new NotInferenceModelError(`an onnx-mlp inference model that ${why}`);

function readSpec(model: Model): MlpSpec {
  const spec = parseJson(model, META.spec) as MlpSpec | undefined;
  if (spec === undefined) throw broken(`has no ${META.spec} metadata`);
  try {
    validateSpec(spec);
  } catch (e) {
    throw broken(`stores an invalid spec (${(e as Error).message})`);
  }
  return spec;
}

function readClassNames(model: Model, spec: MlpSpec, outputWidth: number): string[] {
  if (spec.task === 'regression') return [];
  const stored = parseJson(model, META.classNames);
  if (stored === undefined) return Array.from({ length: outputWidth }, (_, i) => String(i));
  if (!Array.isArray(stored) || stored.length !== outputWidth || !stored.every((s) => typeof s === 'string')) {
    throw broken(`stores ${META.classNames} that are not ${outputWidth} strings`);
  }
  const names = stored as string[];
  if (new Set(names.map((s) => s.trim())).size !== names.length) throw broken(`names a class twice in ${META.classNames}`);
  return names;
}

function readPreprocessing(model: Model): Preprocessing | null {
  const preprocessing = parseJson(model, META.preprocessing) as Preprocessing | undefined;
  if (preprocessing === undefined) return null;
  try {
    validatePreprocessing(preprocessing);
  } catch (e) {
    throw broken(`stores invalid ${META.preprocessing} (${(e as Error).message})`);
  }
  return preprocessing;
}

/** The graph itself must have what onnx-mlp writes, or running it would fail with ONNX Runtime's message. */
function checkGraph(model: Model, task: Task, inputs: { width: number; missing: MissingForm }): void {
  for (const name of inputs.missing === 'mask' ? ['input', MISSING_INPUT_NAME] : ['input']) {
    const input = model.graph.inputs.find((v) => v.name === name);
    if (
      !input ||
      input.dtype !== DataType.FLOAT ||
      input.shape.length !== 2 ||
      (typeof input.shape[1] === 'number' && input.shape[1] !== inputs.width)
    ) {
      throw broken(`has no float32 input "${name}" [batch, ${inputs.width}] (it has ${describeValues(model.graph.inputs)})`);
    }
  }
  for (const name of task === 'regression' ? ['prediction'] : ['probabilities', 'label']) {
    if (!model.graph.outputs.some((v) => v.name === name))
      throw broken(`has no output "${name}" (it has ${describeValues(model.graph.outputs)})`);
  }
}

/**
 * The metadata of an onnx-mlp inference model (a run's model.onnx), checked: onnx_mlp.kind
 * `inference`, a valid spec, consistent class names and preprocessing, and the input and outputs
 * onnx-mlp writes. Anything else is a NotInferenceModelError saying what the model is.
 */
export function readInferenceMetadata(model: Model): InferenceMetadata {
  if (model.metadata.get(META.kind) !== 'inference') throw new NotInferenceModelError(whatModelIs(model));
  const spec = readSpec(model);
  const outputWidth = spec.task === 'binary' ? 2 : spec.outputs;
  const classNames = readClassNames(model, spec, outputWidth);
  const preprocessing = readPreprocessing(model);
  const training = parseJson(model, META.training);
  const inputWidth = preprocessing ? preprocessing.columns.length : spec.inputs;
  const missing = missingForm(model);
  checkGraph(model, spec.task, { width: inputWidth, missing });
  return {
    missingForm: missing,
    spec,
    task: spec.task,
    classNames,
    outputWidth,
    preprocessing,
    inputWidth,
    targetScaling: (parseJson(model, META.targetScaling) as TargetScaling | undefined) ?? null,
    training: typeof training === 'object' && training !== null && !Array.isArray(training) ? (training as Record<string, unknown>) : {},
  };
}
