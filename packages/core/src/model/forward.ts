import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { attr, Value } from '../ir/graph.js';
import { emitActivation } from './activation.js';
import { MlpSpec, layerName, layerShapes } from './spec.js';

/** How the forward pass is emitted. */
export interface ForwardOptions {
  /** Training graphs apply dropout; eval and inference graphs do not. */
  readonly training: boolean;
  /** Seed of the Dropout ops' generators in a training graph. @defaultValue 0 */
  readonly dropoutSeed?: number;
}

/**
 * Emits the MLP from input `x` to its logits: Gemm (x W + b) per layer, the activation and, when
 * training with dropout, a Dropout whose mask the backward pass reuses.
 */
export function emitLogits(
  b: GraphBuilder, spec: MlpSpec, x: Value, params: ReadonlyMap<string, Value>, options: ForwardOptions,
): Value {
  const layers = layerShapes(spec);
  let h = x;
  layers.forEach((_, i) => {
    const name = layerName(i, layers.length);
    const last = i === layers.length - 1;
    h = b.scoped(name, () => {
      const weight = params.get(`${name}.weight`)!;
      const bias = params.get(`${name}.bias`)!;
      let y = b.op('Gemm', [h, weight, bias], {}, last ? { names: ['logits'] } : {});
      if (last) return y;
      y = emitActivation(b, spec, y);
      if (options.training && spec.dropout > 0) {
        const ratio = b.constant(spec.dropout, DataType.FLOAT);
        const on = b.constant(1, DataType.BOOL);
        y = b.ops('Dropout', [y, ratio, on], { seed: attr.int((options.dropoutSeed ?? 0) + i) }, 2)[0]!;
      }
      return y;
    });
  });
  return h;
}

/**
 * Emits the user-facing outputs from the logits: `probabilities` [N, C] and `label` [N] for
 * classifiers (binary ones give both classes' probabilities), `prediction` [N, k] for regression.
 */
export function emitPredictions(b: GraphBuilder, spec: MlpSpec, logits: Value): Value[] {
  if (spec.task === 'regression') return [b.output(b.op('Identity', [logits]), 'prediction')];
  // For binary, sigmoid([-z, z]) = [1 - p, p]: both classes without a Concat.
  const probabilities = spec.task === 'binary'
    ? b.op('Sigmoid', [b.op('Mul', [logits, b.constant([-1, 1], DataType.FLOAT)])])
    : b.op('Softmax', [logits], { axis: attr.int(-1) });
  const label = b.op('ArgMax', [probabilities], { axis: attr.int(1), keepdims: attr.int(0) });
  return [b.output(probabilities, 'probabilities'), b.output(label, 'label')];
}
