import { addGradients } from '../autodiff/gradient.js';
import { OnnxMlpError } from '../errors.js';
import type { GraphBuilder } from '../ir/builder.js';
import { DataType } from '../ir/dtype.js';
import { attr, type Value } from '../ir/graph.js';

/** What the clipped, weighted gradient is made from. */
export interface ClipInputs {
  /** The step's loss: the mean over the batch rows of a per-row loss. */
  readonly loss: Value;
  /** The input batch [N, inputs] (its row count is the N of the mean). */
  readonly x: Value;
  /** The parameters by name, as the forward pass read them. */
  readonly params: ReadonlyMap<string, Value>;
  /** Per-row weights [N]: 1 / expected batch size for a sampled row, 0 for a padding row. */
  readonly rowWeights: Value;
  /** The per-example L2 bound C. */
  readonly clipNorm: number;
}

/** The clipped sum's gradients by parameter name, and each row's unclipped gradient norm [N]. */
export interface ClippedGradients {
  readonly grads: Map<string, Value>;
  readonly norms: Value;
}

/** One dense layer as the forward pass emitted it: Y = A W + b (a Gemm without transposes). */
interface DenseLayer {
  readonly weight: string;
  readonly bias: string;
  readonly input: Value;
  readonly output: Value;
}

/** A forward pass this module cannot clip per example (a bug, not a user error). */
export class PerExampleClipError extends OnnxMlpError {
  constructor(message: string) {
    super(message, { code: 'PER_EXAMPLE_CLIP', userError: false });
    this.name = 'PerExampleClipError';
  }
}

/** The Gemm nodes that read the `*.weight` parameters, each with its bias, input and output. */
function denseLayers(b: GraphBuilder, params: ReadonlyMap<string, Value>): DenseLayer[] {
  const names = [...params.keys()];
  const layers = names
    .filter((n) => n.endsWith('.weight'))
    .map((weight) => {
      const node = b.recordedNodes().find((n) => n.opType === 'Gemm' && n.inputs[1] === weight);
      if (!node || Object.keys(node.attributes).length > 0 || !node.inputs[2]) {
        throw new PerExampleClipError(`${weight}: per-example clipping needs it read by one Gemm (A W + b, no attributes)`);
      }
      return { weight, bias: node.inputs[2], input: b.value(node.inputs[0]!), output: b.value(node.outputs[0]!) };
    });
  const covered = new Set(layers.flatMap((l) => [l.weight, l.bias]));
  const missed = names.filter((n) => !covered.has(n));
  if (missed.length > 0) throw new PerExampleClipError(`per-example clipping covers dense layers only; not ${missed.join(', ')}`);
  return layers;
}

/** Per-row sum of squares of a matrix [N, k]: [N]. */
function rowSquares(b: GraphBuilder, m: Value): Value {
  return b.op('ReduceSum', [b.op('Mul', [m, m]), b.constant([1], DataType.INT64)], { keepdims: attr.int(0) });
}

/**
 * DP-SGD's clipped sum (Abadi et al. 2016) without per-example gradients: one backward pass to
 * each dense layer's output gives the rows g_i of dℓ_i/dY; a row's weight gradient is the outer
 * product a_i g_iᵀ, so its squared norm is ‖a_i‖²‖g_i‖² and its bias gradient's is ‖g_i‖² (the
 * "ghost norm"). Each row's g_i is then scaled by w_i min(1, C / ‖∇ℓ_i‖) and the layer's
 * gradients are Aᵀ G' and the column sums of G': Σ_i w_i clip(∇ℓ_i) in two Gemm-sized ops a layer.
 */
export function clippedGradients(b: GraphBuilder, inputs: ClipInputs): ClippedGradients {
  const layers = denseLayers(b, inputs.params);
  return b.scoped('dp_clip', () => {
    const outputGrads = addGradients(
      b,
      inputs.loss,
      layers.map((l) => l.output),
    );
    const t = inputs.loss.dtype;
    // The loss is a mean over N rows: N dL/dY has row i equal to dℓ_i/dY_i.
    const rows = b.op('Cast', [b.op('Gather', [b.op('Shape', [inputs.x]), b.constant(0, DataType.INT64)], { axis: attr.int(0) })], {
      to: attr.int(t),
    });
    const perRow = layers.map((l) => b.op('Mul', [outputGrads.get(l.output.name)!, rows]));
    const squares = layers.map((l, k) => {
      const g2 = rowSquares(b, perRow[k]!);
      return b.op('Mul', [b.op('Add', [rowSquares(b, l.input), b.constant(1, t)]), g2]);
    });
    const norms = b.op('Sqrt', [squares.reduce((acc, s) => b.op('Add', [acc, s]))], {}, { names: ['per_example_norm'] });
    const limit = b.constant(inputs.clipNorm, t);
    const clip = b.op('Where', [b.op('Greater', [norms, limit]), b.op('Div', [limit, norms]), b.constant(1, t)]);
    const rowScale = b.op('Unsqueeze', [b.op('Mul', [clip, inputs.rowWeights]), b.constant([1], DataType.INT64)]);
    const grads = new Map<string, Value>();
    layers.forEach((l, k) => {
      const scaled = b.op('Mul', [perRow[k]!, rowScale]);
      grads.set(l.weight, b.op('Gemm', [l.input, scaled], { transA: attr.int(1) }));
      grads.set(l.bias, b.op('ReduceSum', [scaled, b.constant([0], DataType.INT64)], { keepdims: attr.int(0) }));
    });
    return { grads, norms };
  });
}
