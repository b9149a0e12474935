import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import { type Attribute, attr, type Value } from '../ir/graph.js';
import { emitActivation } from './activation.js';
import { type MlpSpec, layerName, layerShapes } from './spec.js';
import type { WeightLayout } from './weight-layout.js';

/** What the forward pass reads: the input batch and the parameters by name (`dense1.weight`, …). */
export interface ForwardInputs {
  /** The input batch, [batch, inputs]. */
  readonly x: Value;
  readonly params: ReadonlyMap<string, Value>;
}

/** How the forward pass is emitted. */
export interface ForwardOptions {
  /** Training graphs apply dropout; eval and inference graphs do not. */
  readonly training: boolean;
  /**
   * Uniform [0, 1) noise per hidden layer (by layer name, [batch, width]) from which a training
   * graph draws its dropout masks. The host feeds it so a resumed run replays the same masks:
   * ORT's Dropout keeps its generator inside the session, out of reach of a checkpoint.
   */
  readonly dropoutNoise?: ReadonlyMap<string, Value>;
  /** How the weight values are laid out; `out_in` emits Gemm transB=1. Default `in_out`. */
  readonly weightLayout?: WeightLayout;
}

/**
 * Emits the MLP from input `x` to its logits: Gemm (x W + b, or x Wᵀ + b for `out_in` weights) per layer, the activation and, when
 * training with dropout, inverted dropout: h * (noise < 1 - ratio) / (1 - ratio).
 */
export function emitLogits(b: GraphBuilder, spec: MlpSpec, inputs: ForwardInputs, options: ForwardOptions): Value {
  const { x, params } = inputs;
  const layers = layerShapes(spec);
  const gemm: Record<string, Attribute> = options.weightLayout === 'out_in' ? { transB: attr.int(1) } : {};
  let h = x;
  layers.forEach((_, i) => {
    const name = layerName(i, layers.length);
    const last = i === layers.length - 1;
    h = b.scoped(name, () => {
      const weight = params.get(`${name}.weight`)!;
      const bias = params.get(`${name}.bias`)!;
      let y = b.op('Gemm', [h, weight, bias], gemm, last ? { names: ['logits'] } : {});
      if (last) return y;
      y = emitActivation(b, spec, y);
      const noise = options.dropoutNoise?.get(name);
      if (options.training && spec.dropout > 0) {
        if (!noise) throw new Error(`emitLogits: training with dropout needs dropout noise for layer ${name}`);
        const keep = b.op('Cast', [b.op('Less', [noise, b.constant(1 - spec.dropout, DataType.FLOAT)])], { to: attr.int(DataType.FLOAT) });
        y = b.op('Mul', [y, b.op('Mul', [keep, b.constant(1 / (1 - spec.dropout), DataType.FLOAT)])]);
      }
      return y;
    });
  });
  return h;
}

/** How emitPredictions spreads a binary model's logit z into [-z, z]. */
export interface PredictionOptions {
  /**
   * 'mul': z × [-1, 1], broadcast. 'gemm': z through a Gemm with weights [[-1], [1]] (transB=1), the
   * same numbers (one exact product each) for runtimes whose Mul does not broadcast [N, 1] by [2]
   * (Debian 12's OpenCV 4.6 fails its shape assertion; measured).
   * @defaultValue 'mul'
   */
  readonly binaryPair?: 'mul' | 'gemm';
}

function binaryPair(b: GraphBuilder, logits: Value, how: 'mul' | 'gemm'): Value {
  if (how === 'mul') return b.op('Mul', [logits, b.constant([-1, 1], DataType.FLOAT)]);
  return b.op('Gemm', [logits, b.constant([-1, 1], DataType.FLOAT, [2, 1])], { transB: attr.int(1) });
}

/**
 * Emits the user-facing outputs from the logits: `probabilities` [N, C] and `label` [N] for
 * classifiers (binary ones give both classes' probabilities), `prediction` [N, k] for regression.
 */
export function emitPredictions(b: GraphBuilder, spec: MlpSpec, logits: Value, options: PredictionOptions = {}): Value[] {
  // The logits are the prediction; b.output names them through one Identity (there used to be two).
  if (spec.task === 'regression') return [b.output(logits, 'prediction')];
  // For binary, sigmoid([-z, z]) = [1 - p, p]: both classes without a Concat.
  const probabilities =
    spec.task === 'binary'
      ? b.op('Sigmoid', [binaryPair(b, logits, options.binaryPair ?? 'mul')])
      : b.op('Softmax', [logits], { axis: attr.int(-1) });
  const label = b.op('ArgMax', [probabilities], { axis: attr.int(1), keepdims: attr.int(0) });
  return [b.output(probabilities, 'probabilities'), b.output(label, 'label')];
}
