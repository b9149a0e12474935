import { isFloat } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';
import { getOp } from '../ops/registry.js';
import { OnnxMlpError } from '../errors.js';

/** Thrown when a gradient is asked through an op or value that cannot give one. */
export class GradientError extends OnnxMlpError {
  constructor(message: string) {
    super(message, { code: 'GRADIENT', userError: false });
    this.name = 'GradientError';
  }
}

/** Where the backward walk starts when not at the loss itself. */
export interface GradientOptions {
  /**
   * A value the loss depends on and d loss / d that value, already emitted (a closed-form loss
   * gradient): the walk starts there, and the loss's own nodes are not differentiated.
   */
  readonly seed?: { readonly value: Value; readonly gradient: Value };
}

/**
 * Reverse-mode differentiation over the nodes recorded in `b`: walks them backwards from the
 * scalar `loss` (or `options.seed`), calls each op's gradient rule, and sums the gradients
 * reaching every value. Emits the backward nodes into `b` (under the `grad/` scope) and returns
 * d loss / d each of `wrt`.
 */
export function addGradients(b: GraphBuilder, loss: Value, wrt: readonly Value[], options: GradientOptions = {}): Map<string, Value> {
  if (loss.shape.length !== 0) throw new GradientError(`loss ${loss.name} must be a scalar, got shape [${loss.shape}]`);
  const nodes = [...b.recordedNodes()];

  // Forward: which values depend on a `wrt` value through differentiable inputs.
  const live = new Set(wrt.map((v) => v.name));
  for (const node of nodes) {
    const def = getOp(node.opType);
    const fed = node.inputs.some((name, i) => live.has(name) && !def.constantInputs?.includes(i));
    if (fed) for (const out of node.outputs) if (isFloat(b.value(out).dtype)) live.add(out);
  }
  if (!live.has(loss.name)) throw new GradientError(`loss ${loss.name} does not depend on any of ${wrt.map((v) => v.name)}`);

  return b.scoped('grad', () => {
    const { seed } = options;
    const pending = new Map<string, Value[]>(seed ? [[seed.value.name, [seed.gradient]]] : [[loss.name, [b.constant(1, loss.dtype)]]]);
    const total = (name: string): Value | undefined => {
      const parts = pending.get(name);
      if (!parts || parts.length === 0) return undefined;
      const sum = parts.reduce((acc, g) => b.op('Add', [acc, g]));
      pending.set(name, [sum]);
      return sum;
    };

    for (let n = nodes.length - 1; n >= 0; n--) {
      const node = nodes[n]!;
      const dy = node.outputs.map(total);
      if (dy.every((g) => g === undefined)) continue;
      const def = getOp(node.opType);
      const wants = node.inputs.map((name, i) => live.has(name) && !def.constantInputs?.includes(i));
      if (!wants.some(Boolean)) continue;
      if (def.gradient === null) continue;
      const grads = def.gradient({
        b,
        inputs: node.inputs.map((name) => (name ? b.value(name) : undefined)) as Value[],
        outputs: node.outputs.map((name) => b.value(name)),
        attrs: node.attributes,
        dy,
        wants,
      });
      node.inputs.forEach((name, i) => {
        const g = grads[i];
        if (!wants[i] || !g) return;
        const list = pending.get(name) ?? [];
        list.push(g);
        pending.set(name, list);
      });
    }

    const result = new Map<string, Value>();
    for (const v of wrt) {
      const g = total(v.name);
      if (!g) throw new GradientError(`${v.name} does not influence loss ${loss.name}: it gets no gradient`);
      result.set(v.name, g);
    }
    return result;
  });
}
