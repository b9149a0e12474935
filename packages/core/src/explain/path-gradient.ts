import { addGradients } from '../autodiff/gradient.js';
import type { GraphBuilder } from '../ir/builder.js';
import { DataType } from '../ir/dtype.js';
import { type Graph, type Node, type Value, attr } from '../ir/graph.js';
import { ExplainError } from './explain-error.js';
import { type Bindings, replayNodes } from './replay.js';

/** Points along the straight path from the baseline (alpha 0) to the input (alpha 1), with their weights. */
export interface PathRule {
  readonly alphas: readonly number[];
  readonly weights: readonly number[];
}

/** Gradient × (input − baseline): the gradient at the input alone. */
export const AT_INPUT: PathRule = { alphas: [1], weights: [1] };

/** Integrated gradients by the midpoint rule: `steps` points (k + 1/2) / steps, each of weight 1 / steps. */
export function midpointRule(steps: number): PathRule {
  return {
    alphas: Array.from({ length: steps }, (_, k) => (k + 0.5) / steps),
    weights: new Array(steps).fill(1 / steps),
  };
}

/** What the path gradient is computed from. */
export interface PathGradient {
  readonly graph: Graph;
  /** The nodes the explained output needs. */
  readonly nodes: readonly Node[];
  readonly initializers: Bindings;
  /** The original name of the attribution space's value, and that value at the input and at the baseline. */
  readonly space: string;
  readonly atInput: Value;
  readonly atBaseline: Value;
  /** The original name of the explained output, and the [batch, K] mask of the explained entry. */
  readonly target: string;
  readonly mask: Value;
  readonly rule: PathRule;
}

/** The symbolic dim of the path's rows: steps × the batch. */
const PATH_ROWS = 'steps_x_batch';

function scalarDims(n: number): number[] {
  return [n, 1, 1];
}

/**
 * Attributions in the attribution space, [batch, W]: the gradient of the explained output,
 * averaged over the rule's points on the straight path, times (input − baseline). All points of
 * all rows go through the model as one batch (rows × steps), and one reverse pass gives every
 * gradient, since rows do not interact.
 */
export function emitPathAttributions(b: GraphBuilder, p: PathGradient): Value {
  const f = DataType.FLOAT;
  const i64 = DataType.INT64;
  const width = p.atInput.shape[1] as number;
  const steps = p.rule.alphas.length;
  const rawDelta = b.op('Sub', [p.atInput, p.atBaseline]);
  // A missing cell is missing at the baseline too (NaN - NaN): it does not move along the path.
  const delta = b.op('Where', [b.op('Equal', [rawDelta, rawDelta]), rawDelta, b.constant(0, f)]);
  const first = b.constant([0], i64);
  const alphas = b.constant(p.rule.alphas, f, scalarDims(steps));
  const points = b.op('Add', [b.op('Unsqueeze', [p.atBaseline, first]), b.op('Mul', [alphas, b.op('Unsqueeze', [delta, first])])]);
  // Named dims, so that no two values of different sizes share a symbolic dim in the file.
  const rows = p.atInput.shape[0]!;
  const flat = b.op('Reshape', [points, b.constant([-1, width], i64)], {}, { shape: [PATH_ROWS, width] });
  const bound = replayNodes(b, { nodes: p.nodes, bound: new Map([...p.initializers, [p.space, flat]]), scope: 'path' });
  const out = asMatrix(b, bound.get(p.target)!);
  // The mask is [batch, K]; the path's outputs are [steps * batch, K], steps outermost.
  const tiled = b.op('Expand', [b.op('Unsqueeze', [p.mask, first]), b.constant(scalarDims(steps), i64)]);
  const mask = b.op('Reshape', [tiled, b.op('Shape', [out])], {}, { shape: [PATH_ROWS, out.shape[1]!] });
  const explained = b.op('ReduceSum', [b.op('Mul', [out, mask])], { keepdims: attr.int(0) });
  const grad = pathGradient(b, explained, flat);
  const perStep = b.op('Reshape', [grad, b.constant([steps, -1, width], i64)], {}, { shape: [steps, rows, width] });
  const weighted = b.op('Mul', [perStep, b.constant(p.rule.weights, f, scalarDims(steps))]);
  const average = b.op('ReduceSum', [weighted, first], { keepdims: attr.int(0) });
  return b.op('Mul', [average, delta]);
}

/** d explained / d points; a gradient rule that cannot differentiate its node becomes an ExplainError. */
function pathGradient(b: GraphBuilder, explained: Value, points: Value): Value {
  try {
    return addGradients(b, explained, [points]).get(points.name)!;
  } catch (e) {
    throw new ExplainError(`the gradient of the output cannot be built: ${(e as Error).message}`, {});
  }
}

/** A [n] output as [n, 1]; a [n, K] one as it is. */
export function asMatrix(b: GraphBuilder, v: Value): Value {
  return v.shape.length === 1 ? b.op('Unsqueeze', [v, b.constant([1], DataType.INT64)]) : v;
}
