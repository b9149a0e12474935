import { META } from '../artifacts/metadata.js';
import { isFloat } from '../ir/dtype.js';
import type { Model } from '../ir/graph.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { ExplainError } from './explain-error.js';

/** What an onnx-mlp model records that an explanation uses (nothing for a foreign model). */
export interface ModelFacts {
  readonly task?: string;
  readonly classNames?: readonly string[];
  readonly preprocessing?: Preprocessing;
}

function parsed<T>(model: Model, key: string): T | undefined {
  const text = model.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ExplainError(`metadata ${key} is not valid JSON`, { key });
  }
}

/** The task, class names and preprocessing an onnx-mlp model records. */
export function readModelFacts(model: Model): ModelFacts {
  const spec = parsed<{ task?: string }>(model, META.spec);
  const classNames = parsed<string[]>(model, META.classNames);
  const preprocessing = parsed<Preprocessing>(model, META.preprocessing);
  return {
    ...(spec?.task ? { task: spec.task } : {}),
    ...(classNames ? { classNames } : {}),
    ...(preprocessing ? { preprocessing } : {}),
  };
}

/** The output an explanation attributes, and whether its entries are classes (the argmax is explained). */
export interface ExplainedOutput {
  readonly name: string;
  readonly classifier: boolean;
  /** Entries per row: classes, or regression outputs (the first is explained). */
  readonly width: number;
}

/**
 * onnx-mlp's `probabilities` (classifiers) or `prediction` (regression); for another model, its
 * first float output of rank 1 or 2, a classifier when it has more than one entry per row.
 */
export function explainedOutput(model: Model, facts: ModelFacts): ExplainedOutput {
  const outputs = model.graph.outputs;
  const wanted = facts.task === undefined ? undefined : facts.task === 'regression' ? 'prediction' : 'probabilities';
  const out = wanted ? outputs.find((o) => o.name === wanted) : outputs.find((o) => isFloat(o.dtype) && [1, 2].includes(o.shape.length));
  if (!out) {
    throw new ExplainError(
      `explain needs a float output [batch] or [batch, outputs]; the model has ${outputs.map((o) => o.name).join(', ') || 'none'}`,
      {},
    );
  }
  const width = out.shape.length === 1 ? 1 : out.shape[1];
  if (typeof width !== 'number') throw new ExplainError(`output ${out.name} has an unknown width [${out.shape}]`, { output: out.name });
  const classifier = facts.task === undefined ? width > 1 : facts.task !== 'regression';
  return { name: out.name, classifier, width };
}
