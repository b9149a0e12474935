import { InvalidArgumentError } from '../errors.js';
import type { Baseline } from './baseline.js';

/** How attributions are computed. */
export const EXPLAIN_METHODS = ['gradient', 'integrated-gradients'] as const;
/** `gradient`: gradient × (input − baseline) at the input; `integrated-gradients`: along the straight path. */
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

/** The explain model's input is the explained model's; these are its outputs. */
export const EXPLAIN_IO = {
  /** [batch, columns] float: each raw column's attribution (0 for a missing cell). */
  attributions: 'attributions',
  /** [batch] float: the explained output at the row (the predicted class's probability, or the prediction). */
  output: 'output',
  /** [batch] float: the same output at the baseline (the row's missing cells kept missing). */
  baselineOutput: 'baseline_output',
  /** [batch] int64: the explained class (classifiers only). */
  explainedClass: 'class',
} as const;

/** Choices of an explanation. */
export interface ExplainOptions {
  /** @defaultValue 'integrated-gradients' */
  readonly method?: ExplainMethod;
  /** Points on the path for integrated gradients (midpoint rule). @defaultValue 50 */
  readonly steps?: number;
  /** @defaultValue 'mean' when the model records its preprocessing, else 'zero' */
  readonly baseline?: Baseline;
}

/** What an explain model explains, stored in its metadata under META.explain. */
export interface ExplainFacts {
  readonly method: ExplainMethod;
  /** Points on the path (1 for the gradient method). */
  readonly steps: number;
  readonly baseline: Baseline;
  /** The raw columns, in the order of the attributions. */
  readonly columns: readonly string[];
  /** The explained model's output that is explained. */
  readonly output: string;
  /** Class names for a classifier (the explained class indexes them); null for a regression. */
  readonly classNames: readonly string[] | null;
}

/** The default number of points on the path. */
export const DEFAULT_STEPS = 50;

/** Method and steps with their defaults; throws InvalidArgumentError naming a bad one. */
export function resolveExplainOptions(o: ExplainOptions): { method: ExplainMethod; steps: number } {
  const method = o.method ?? 'integrated-gradients';
  if (!EXPLAIN_METHODS.includes(method)) throw new InvalidArgumentError('method', method, `must be one of ${EXPLAIN_METHODS.join(', ')}`);
  const steps = o.steps ?? DEFAULT_STEPS;
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000)
    throw new InvalidArgumentError('steps', steps, 'must be an integer from 1 to 10000');
  if (o.baseline !== undefined && !['mean', 'zero'].includes(o.baseline)) {
    throw new InvalidArgumentError('baseline', o.baseline, 'must be one of mean, zero');
  }
  return { method, steps };
}
