import type { Model } from '../ir/graph.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { META } from './metadata.js';

/** What a run's data adds to its training-side models: the classes and the preprocessing in front of `input`. */
export interface RunFacts {
  readonly classNames?: readonly string[] | null;
  readonly preprocessing?: Preprocessing | null;
}

/**
 * `model` with the run's class names and preprocessing in its metadata (onnx_mlp.class_names,
 * onnx_mlp.preprocessing), so a training, epoch or eval model says what its `input` and `target`
 * hold without the inference model beside it.
 */
export function withRunFacts(model: Model, facts: RunFacts): Model {
  const metadata = new Map(model.metadata);
  if (facts.classNames) metadata.set(META.classNames, JSON.stringify(facts.classNames));
  if (facts.preprocessing) metadata.set(META.preprocessing, JSON.stringify(facts.preprocessing));
  return { ...model, metadata };
}
