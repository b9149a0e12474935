import { isFloat } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import { getOp } from '../ops/registry.js';
import { type Bindings, ancestorsOf } from './replay.js';
import { ExplainError } from './explain-error.js';

/**
 * Where the gradient is taken: a value of the graph every path from the input to the explained
 * output passes through, [batch, W], from which that output is differentiable; and, for each of
 * its W features, the raw input column it belongs to (the one-hot features of a category all
 * belong to its column).
 */
export interface AttributionSpace {
  /** The original graph's name of that value (the graph input itself for a model without preprocessing). */
  readonly value: string;
  /** For each feature of `value`, the index of its raw column. */
  readonly featureColumn: readonly number[];
}

/** The values reachable from `from` through differentiable inputs, as addGradients decides it. */
export function differentiableFrom(graph: Graph, from: string, valueDtype: (name: string) => number | undefined): Set<string> {
  const live = new Set([from]);
  for (const node of graph.nodes) {
    const constant = getOp(node.opType).constantInputs ?? [];
    if (!node.inputs.some((name, i) => live.has(name) && !constant.includes(i))) continue;
    if (getOp(node.opType).gradient === null) continue;
    for (const out of node.outputs) {
      const dtype = valueDtype(out);
      if (dtype !== undefined && isFloat(dtype)) live.add(out);
    }
  }
  return live;
}

/** Whether every path from `input` to `target` passes through `through`. */
function dominates(graph: Graph, input: string, target: string, through: string): boolean {
  const reached = new Set([input]);
  for (const node of graph.nodes) {
    if (node.inputs.some((name) => reached.has(name))) for (const out of node.outputs) if (out !== through) reached.add(out);
  }
  return !reached.has(target);
}

/** The ops where differentiation from the live values stops on the way to `target`: named in the error. */
function blockingOps(graph: Graph, live: ReadonlySet<string>, target: string): string[] {
  const upstream = new Set(ancestorsOf(graph, [target]).flatMap((n) => n.outputs));
  const ops = new Set<string>();
  for (const node of graph.nodes) {
    const stops = node.inputs.some((name) => live.has(name)) && !node.outputs.some((o) => live.has(o));
    if (stops && node.outputs.some((o) => upstream.has(o))) ops.add(node.opType);
  }
  return [...ops];
}

/** Throws ExplainError naming the ops that stop the gradient when `target` is not differentiable from `from`. */
export function requireDifferentiable(graph: Graph, live: ReadonlySet<string>, target: string, from: string): void {
  if (live.has(target)) return;
  const ops = blockingOps(graph, live, target);
  throw new ExplainError(
    `output ${target} is not differentiable with respect to ${from}: the gradient stops at ${ops.length ? `op ${ops.join(', ')}` : 'an op'} (no gradient rule)`,
    { ops },
  );
}

/** What the search for the attribution space is given. */
export interface SpaceSearch {
  readonly graph: Graph;
  readonly input: string;
  readonly target: string;
  /** The values a replay of the whole graph on the input emitted (their inferred types). */
  readonly replayed: Bindings;
  /** The raw column of each feature the preprocessing makes, in its order. */
  readonly featureColumn: readonly number[];
}

/**
 * The first value after the input, in graph order, that is a float [batch, W] matrix (W the
 * preprocessing's feature count), lies on every path from the input to the target and from which
 * the target is differentiable: the preprocessed features, whatever ops the preprocessing uses.
 */
export function findFeatureSpace(s: SpaceSearch): AttributionSpace {
  const width = s.featureColumn.length;
  const dtype = (name: string) => s.replayed.get(name)?.dtype;
  for (const node of s.graph.nodes) {
    for (const name of node.outputs) {
      const v = s.replayed.get(name);
      if (!v || !isFloat(v.dtype) || v.shape.length !== 2 || v.shape[1] !== width) continue;
      if (!dominates(s.graph, s.input, s.target, name)) continue;
      if (!differentiableFrom(s.graph, name, dtype).has(s.target)) continue;
      return { value: name, featureColumn: s.featureColumn };
    }
  }
  throw new ExplainError(`no [batch, ${width}] feature matrix found between input ${s.input} and output ${s.target}`, { width });
}
