import * as ort from 'onnxruntime-node';
import { encodeModel, type Model, type Preprocessing } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { type Baseline, EXPLAIN_IO, type ExplainFacts, type ExplainMethod, buildExplainModel } from '@onnx-mlp/core/explain';
import { UserError } from '../errors.js';
import { requireIntact } from '../integrity/require-intact.js';
import { readModelFile } from '../model/read-model.js';

/** An explain model ready to run on onnxruntime-node, and what the rows it takes look like. */
export interface ExplainSession {
  readonly facts: ExplainFacts;
  /** Raw columns per row (the explained model's input width). */
  readonly inputWidth: number;
  readonly preprocessing?: Preprocessing;
  /** The label column(s) the model was trained with (models without preprocessing: left out of the features). */
  readonly labelColumns: readonly string[];
  readonly session: ort.InferenceSession;
}

/** What one run of the explain model gives for a chunk of rows. */
export interface ExplainOutput {
  readonly rows: number;
  /** [rows, columns] row-major. */
  readonly attributions: Float32Array;
  readonly output: Float32Array;
  readonly baselineOutput: Float32Array;
  /** The explained class per row (classifiers). */
  readonly classes?: Int32Array;
}

/** How to build the explanation. */
export interface ExplainChoice {
  readonly method: ExplainMethod;
  readonly steps: number;
  readonly baseline?: Baseline;
  /** Refuse a model whose integrity digest its contents fail. */
  readonly verify: boolean;
}

function parsedJson(model: Model, key: string): unknown {
  try {
    return JSON.parse(model.metadata.get(key) ?? 'null');
  } catch {
    return null;
  }
}

function trainedLabels(model: Model): string[] {
  const label = (parsedJson(model, META.training) as { label?: unknown } | null)?.label;
  if (typeof label === 'string' && label !== '') return [label];
  return Array.isArray(label) ? label.filter((l): l is string => typeof l === 'string') : [];
}

/**
 * Reads the model at `path` (an onnx-mlp model.onnx, or any ONNX model whose input is a float
 * matrix), checks its integrity digest, builds its explain model with core's buildExplainModel
 * and opens it in onnxruntime-node.
 */
export async function openExplainSession(path: string, choice: ExplainChoice): Promise<ExplainSession> {
  const { model } = await readModelFile(path, 'explain');
  if (choice.verify) await requireIntact(path, model);
  const { model: explain, facts } = buildExplainModel(model, {
    method: choice.method,
    steps: choice.steps,
    ...(choice.baseline ? { baseline: choice.baseline } : {}),
  });
  const preprocessing = parsedJson(model, META.preprocessing) as Preprocessing | null;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeModel(explain), { intraOpNumThreads: 1 });
  } catch (e) {
    throw new UserError(`${path}: ONNX Runtime cannot load its explain model (${(e as Error).message})`, { cause: e });
  }
  return {
    facts,
    inputWidth: facts.columns.length,
    ...(preprocessing ? { preprocessing } : {}),
    labelColumns: trainedLabels(model),
    session,
  };
}

/** Runs the explain model on `rows` rows of `input` ([rows, inputWidth] row-major). */
export async function runExplain(s: ExplainSession, input: Float32Array, rows: number): Promise<ExplainOutput> {
  const tensor = new ort.Tensor('float32', input.subarray(0, rows * s.inputWidth), [rows, s.inputWidth]);
  const out = await s.session.run({ [s.session.inputNames[0]!]: tensor });
  const classes = out[EXPLAIN_IO.explainedClass];
  return {
    rows,
    attributions: out[EXPLAIN_IO.attributions]!.data as Float32Array,
    output: out[EXPLAIN_IO.output]!.data as Float32Array,
    baselineOutput: out[EXPLAIN_IO.baselineOutput]!.data as Float32Array,
    ...(classes ? { classes: Int32Array.from(classes.data as BigInt64Array, Number) } : {}),
  };
}
