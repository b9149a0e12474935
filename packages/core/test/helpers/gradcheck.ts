import { expect } from 'vitest';
import { DataType, GraphBuilder, type TensorData, type Value } from '@onnx-mlp/core/ir';
import { addGradients } from '@onnx-mlp/core/autodiff';
import { runSession, sessionOf, tensor } from './ort.js';

/** One graph input of a gradient check. */
export interface CheckInput {
  readonly dims: readonly number[];
  /** Values; random in [-1, 1) (seeded) when absent. */
  readonly data?: readonly number[];
  readonly dtype?: DataType;
  /** False for inputs that get no gradient (labels, indices, masks). @defaultValue true for floats */
  readonly differentiable?: boolean;
}

/** Options of `checkGradients`. */
export interface CheckOptions {
  readonly inputs: Record<string, CheckInput>;
  /** Builds the function under test; its output can have any shape. */
  readonly build: (b: GraphBuilder, x: Record<string, Value>) => Value;
  /** Float type of the differentiable inputs. @defaultValue DOUBLE */
  readonly dtype?: DataType;
  /** Largest relative error allowed. @defaultValue 1e-6 */
  readonly tolerance?: number;
  /** Finite-difference step. @defaultValue 1e-6 (float64), 1e-2 (float32) */
  readonly step?: number;
  readonly seed?: number;
  /** The graph's opset (rules may emit another form below a version). @defaultValue DEFAULT_OPSET */
  readonly opset?: number;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The one helper every gradient test calls (tinygrad's helper_test_op): builds `f`, reduces it to
 * a scalar L = sum(f(x) * w) with fixed random w, differentiates L with onnx-mlp's rules, runs it on
 * ORT CPU, and compares each gradient with central finite differences of L run on ORT too.
 * Returns the worst relative error, ||analytic - numeric|| / max(||analytic|| + ||numeric||, 1e-12).
 */
export async function checkGradients(options: CheckOptions): Promise<number> {
  const floatType = options.dtype ?? DataType.DOUBLE;
  const random = lcg(options.seed ?? 7);
  const b = new GraphBuilder('gradcheck', options.opset ? { opset: options.opset } : {});
  const values: Record<string, Value> = {};
  const feeds: Record<string, TensorData> = {};
  const diff: string[] = [];
  for (const [name, spec] of Object.entries(options.inputs)) {
    const dtype = spec.dtype ?? floatType;
    const size = spec.dims.reduce((p, q) => p * q, 1);
    const data = spec.data ?? Array.from({ length: size }, () => random() * 2 - 1);
    values[name] = b.input(name, dtype, spec.dims);
    feeds[name] = tensor(data, spec.dims, dtype);
    if ((spec.differentiable ?? true) && (dtype === DataType.DOUBLE || dtype === DataType.FLOAT)) diff.push(name);
  }
  const y = options.build(b, values);
  const dims = y.shape.map(Number);
  const size = dims.reduce((p, q) => p * q, 1);
  const w = b.constant(
    Array.from({ length: size }, () => random() * 2 - 1),
    y.dtype,
    dims,
  );
  const loss = b.op('ReduceSum', [b.op('Mul', [y, w])], { keepdims: { kind: 'int', value: 0 } });
  b.output(loss, 'loss');
  const grads = addGradients(
    b,
    loss,
    diff.map((n) => values[n]!),
  );
  for (const n of diff) b.output(grads.get(n)!, `grad_${n}`);

  const session = await sessionOf(b);
  const analytic = await runSession(session, feeds);
  const h = options.step ?? (floatType === DataType.DOUBLE ? 1e-6 : 1e-2);
  let worst = 0;
  for (const n of diff) {
    const base = feeds[n]!;
    const numeric: number[] = [];
    for (let i = 0; i < base.data.length; i++) {
      const at = (delta: number) => {
        const data = (base.data as Float64Array).slice();
        data[i] = (data[i] as number) + delta;
        return runSession(session, { ...feeds, [n]: { ...base, data } }).then((r) => r.loss![0]!);
      };
      numeric.push(((await at(h)) - (await at(-h))) / (2 * h));
    }
    const a = analytic[`grad_${n}`]!;
    expect(a.length, `gradient of ${n} has the input's size`).toBe(numeric.length);
    const diffNorm = Math.hypot(...a.map((v, i) => v - numeric[i]!));
    const scale = Math.max(Math.hypot(...a) + Math.hypot(...numeric), 1e-12);
    worst = Math.max(worst, diffNorm / scale);
  }
  expect(worst, `worst relative gradient error`).toBeLessThan(options.tolerance ?? 1e-6);
  return worst;
}
