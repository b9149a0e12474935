import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder, type Value, attr } from '@onnx-mlp/core/ir';
import { registeredOps } from '@onnx-mlp/core/ops';
import { addGradients } from '@onnx-mlp/core/autodiff';
import { runGraph, tensor } from './helpers/ort.js';
import { oneHot } from '../src/ops/gather.js';
import { type CheckOptions, checkGradients } from './helpers/gradcheck.js';

type Case = Omit<CheckOptions, 'build'> & {
  /** The ops whose gradient rules this case exercises. */
  readonly ops: readonly string[];
  readonly build: (b: GraphBuilder, x: Record<string, Value>) => Value;
};

const i64 = DataType.INT64;
const positive = (n: number) => Array.from({ length: n }, (_, i) => 0.5 + ((i * 37) % 11) / 7);
// Away from zero, so finite differences never straddle a kink.
const awayFromZero = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (0.2 + ((i * 13) % 9) / 10));

const cases: Record<string, Case> = {
  'Add broadcasting [3,4] + [4]': {
    ops: ['Add'],
    inputs: { a: { dims: [3, 4] }, b: { dims: [4] } },
    build: (b, x) => b.op('Add', [x.a, x.b]),
  },
  // Below opset 15 (no Shape start/end) a bias-like gradient is summed with ReduceSum, not MatMul.
  'Add broadcasting [3,4] + [4] at opset 13': {
    ops: ['Add', 'ReduceSum'],
    opset: 13,
    inputs: { a: { dims: [3, 4] }, b: { dims: [4] } },
    build: (b, x) => b.op('Add', [x.a, x.b]),
  },
  'Add broadcasting [3,1] + [3,4]': {
    ops: ['Add'],
    inputs: { a: { dims: [3, 1] }, b: { dims: [3, 4] } },
    build: (b, x) => b.op('Add', [x.a, x.b]),
  },
  'Sub broadcasting scalar': { ops: ['Sub'], inputs: { a: { dims: [3, 4] }, b: { dims: [] } }, build: (b, x) => b.op('Sub', [x.a, x.b]) },
  'Mul broadcasting [2,3] * [3]': {
    ops: ['Mul'],
    inputs: { a: { dims: [2, 3] }, b: { dims: [3] } },
    build: (b, x) => b.op('Mul', [x.a, x.b]),
  },
  'Div broadcasting [2,3] / [2,1]': {
    ops: ['Div'],
    inputs: { a: { dims: [2, 3] }, b: { dims: [2, 1], data: positive(2) } },
    build: (b, x) => b.op('Div', [x.a, x.b]),
  },
  Neg: { ops: ['Neg'], inputs: { a: { dims: [5] } }, build: (b, x) => b.op('Neg', [x.a]) },
  Identity: { ops: ['Identity'], inputs: { a: { dims: [5] } }, build: (b, x) => b.op('Identity', [x.a]) },
  Exp: { ops: ['Exp'], inputs: { a: { dims: [2, 3] } }, build: (b, x) => b.op('Exp', [x.a]) },
  Log: { ops: ['Log'], inputs: { a: { dims: [6], data: positive(6) } }, build: (b, x) => b.op('Log', [x.a]) },
  Sqrt: { ops: ['Sqrt'], inputs: { a: { dims: [6], data: positive(6) } }, build: (b, x) => b.op('Sqrt', [x.a]) },
  'Abs and Sign': {
    ops: ['Abs', 'Sign'],
    inputs: { a: { dims: [8], data: awayFromZero(8) } },
    build: (b, x) => b.op('Mul', [b.op('Abs', [x.a]), b.op('Sign', [x.a])]),
  },
  'Pow with constant exponent': {
    ops: ['Pow'],
    inputs: { a: { dims: [6], data: positive(6) } },
    build: (b, x) => b.op('Pow', [x.a, b.constant(3, DataType.DOUBLE)]),
  },
  Relu: {
    ops: ['Relu', 'Greater', 'Cast'],
    inputs: { a: { dims: [3, 4], data: awayFromZero(12) } },
    build: (b, x) => b.op('Relu', [x.a]),
  },
  'LeakyRelu alpha 0.1': {
    ops: ['LeakyRelu'],
    inputs: { a: { dims: [3, 4], data: awayFromZero(12) } },
    build: (b, x) => b.op('LeakyRelu', [x.a], { alpha: attr.float(0.1) }),
  },
  Sigmoid: { ops: ['Sigmoid'], inputs: { a: { dims: [3, 4] } }, build: (b, x) => b.op('Sigmoid', [x.a]) },
  Tanh: { ops: ['Tanh'], inputs: { a: { dims: [3, 4] } }, build: (b, x) => b.op('Tanh', [x.a]) },
  'Softmax axis -1': { ops: ['Softmax'], inputs: { a: { dims: [3, 5] } }, build: (b, x) => b.op('Softmax', [x.a], { axis: attr.int(-1) }) },
  'Softmax axis 0': { ops: ['Softmax'], inputs: { a: { dims: [3, 5] } }, build: (b, x) => b.op('Softmax', [x.a], { axis: attr.int(0) }) },
  LogSoftmax: { ops: ['LogSoftmax'], inputs: { a: { dims: [3, 5] } }, build: (b, x) => b.op('LogSoftmax', [x.a], { axis: attr.int(1) }) },
  MatMul: { ops: ['MatMul'], inputs: { a: { dims: [3, 4] }, w: { dims: [4, 2] } }, build: (b, x) => b.op('MatMul', [x.a, x.w]) },
  'MatMul vector x matrix': {
    ops: ['MatMul', 'Unsqueeze'],
    inputs: { a: { dims: [3] }, w: { dims: [3, 2] } },
    build: (b, x) => b.op('MatMul', [x.a, x.w]),
  },
  'MatMul matrix x vector': {
    ops: ['MatMul'],
    inputs: { a: { dims: [2, 3] }, w: { dims: [3] } },
    build: (b, x) => b.op('MatMul', [x.a, x.w]),
  },
  ...Object.fromEntries(
    [0, 1].flatMap((ta) =>
      [0, 1].map((tb) => [
        `Gemm transA=${ta} transB=${tb} alpha beta`,
        {
          ops: ['Gemm'],
          inputs: { a: { dims: ta ? [4, 3] : [3, 4] }, w: { dims: tb ? [2, 4] : [4, 2] }, c: { dims: [2] } },
          build: (b: GraphBuilder, x: Record<string, Value>) =>
            b.op('Gemm', [x.a, x.w, x.c], {
              transA: attr.int(ta),
              transB: attr.int(tb),
              alpha: attr.float(0.7),
              beta: attr.float(1.3),
            }),
        } satisfies Case,
      ]),
    ),
  ),
  'ReduceSum axis 1 keepdims 0': {
    ops: ['ReduceSum', 'Unsqueeze', 'Expand', 'Shape'],
    inputs: { a: { dims: [3, 4] } },
    build: (b, x) => b.op('ReduceSum', [x.a, b.constant([1], i64)], { keepdims: attr.int(0) }),
  },
  'ReduceSum all axes': {
    ops: ['ReduceSum'],
    inputs: { a: { dims: [3, 4] } },
    build: (b, x) => b.op('ReduceSum', [x.a], { keepdims: attr.int(1) }),
  },
  'ReduceMean axis 0 keepdims 0': {
    ops: ['ReduceMean'],
    inputs: { a: { dims: [3, 4] } },
    build: (b, x) => b.op('ReduceMean', [x.a], { axes: attr.ints([0]), keepdims: attr.int(0) }),
  },
  'ReduceMean all': {
    ops: ['ReduceMean'],
    inputs: { a: { dims: [2, 3] } },
    build: (b, x) => b.op('ReduceMean', [x.a], { keepdims: attr.int(0) }),
  },
  'Gather rows (embedding lookup)': {
    ops: ['Gather', 'OneHot'],
    inputs: { a: { dims: [4, 3] }, i: { dims: [5], data: [3, 0, 3, 1, 2], dtype: i64 } },
    build: (b, x) => b.op('Gather', [x.a, x.i], { axis: attr.int(0) }),
  },
  'OneHot times LogSoftmax (cross-entropy shape)': {
    ops: ['OneHot', 'LogSoftmax', 'ReduceSum'],
    inputs: { a: { dims: [3, 4] }, y: { dims: [3], data: [2, 0, 3], dtype: i64 } },
    build: (b, x) => {
      const onehot = oneHot(b, x.y!, 4, DataType.DOUBLE);
      return b.op('ReduceSum', [b.op('Mul', [onehot, b.op('LogSoftmax', [x.a], { axis: attr.int(-1) })]), b.constant([1], i64)], {
        keepdims: attr.int(0),
      });
    },
  },
  Transpose: {
    ops: ['Transpose'],
    inputs: { a: { dims: [2, 3] } },
    build: (b, x) => b.op('Transpose', [x.a], { perm: attr.ints([1, 0]) }),
  },
  Reshape: { ops: ['Reshape'], inputs: { a: { dims: [2, 3] } }, build: (b, x) => b.op('Reshape', [x.a, b.constant([3, 2], i64)]) },
  'Squeeze and Unsqueeze': {
    ops: ['Squeeze', 'Unsqueeze'],
    inputs: { a: { dims: [2, 1, 3] } },
    build: (b, x) => b.op('Unsqueeze', [b.op('Squeeze', [x.a, b.constant([1], i64)]), b.constant([0], i64)]),
  },
  'Expand a row': { ops: ['Expand'], inputs: { a: { dims: [1, 3] } }, build: (b, x) => b.op('Expand', [x.a, b.constant([4, 3], i64)]) },
  'Where selects between branches': {
    ops: ['Where', 'Less'],
    inputs: { a: { dims: [6], data: awayFromZero(6) }, b: { dims: [6] } },
    build: (b, x) => b.op('Where', [b.op('Less', [x.a, b.constant(0, DataType.DOUBLE)]), x.a, x.b]),
  },
  'Split into three, one part unused': {
    ops: ['Split'],
    inputs: { a: { dims: [9] } },
    build: (b, x) => {
      const [p, , r] = b.ops('Split', [x.a, b.constant([2, 3, 4], i64)], { axis: attr.int(0) }, { count: 3 });
      return b.op('Mul', [b.op('ReduceSum', [p!], { keepdims: attr.int(0) }), b.op('ReduceSum', [r!], { keepdims: attr.int(0) })]);
    },
  },
  'Concat along axis 1': {
    ops: ['Concat'],
    inputs: { a: { dims: [2, 3] }, b: { dims: [2, 1] } },
    build: (b, x) => b.op('Concat', [x.a, x.b], { axis: attr.int(1) }),
  },
  'Cast float64 -> float64 (identity cast)': {
    ops: ['Cast'],
    inputs: { a: { dims: [4] } },
    build: (b, x) => b.op('Cast', [x.a], { to: attr.int(DataType.DOUBLE) }),
  },
  'Dropout in inference mode is the identity': {
    ops: ['Dropout'],
    inputs: { a: { dims: [3, 4] } },
    build: (b, x) => b.op('Dropout', [x.a]),
  },
};

describe('every gradient rule agrees with central finite differences (float64, ORT CPU)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const err = await checkGradients(c);
      expect(err).toBeLessThan(1e-6);
    });
  }
});

// ORT CPU registers Erf for float32 only, so it runs in float32: h = 1e-2 and a tolerance of
// 1e-3 (float32 rounding of L divided by h bounds the error near 1e-5 * |L| / h).
describe('float32-only kernels, checked in float32', () => {
  it('Erf', async () => {
    const err = await checkGradients({
      dtype: DataType.FLOAT,
      tolerance: 1e-3,
      inputs: { a: { dims: [8] } },
      build: (b, x) => b.op('Erf', [x.a]),
    });
    expect(err).toBeLessThan(1e-3);
  });
});

it('every registered op has a gradient test, or is marked as passing no gradient', () => {
  const tested = new Set([...Object.values(cases).flatMap((c) => c.ops), 'Erf', 'Dropout']);
  const missing = registeredOps()
    .filter((op) => op.gradient !== null && !tested.has(op.opType))
    .map((op) => op.opType);
  expect(missing).toEqual([]);
});

// A training-mode Dropout draws a new mask every run, so finite differences cannot see it; instead
// one run returns the mask with the gradient, which must be w * mask / (1 - ratio) exactly.
it('Dropout in training mode reuses its forward mask in the backward pass', async () => {
  const b = new GraphBuilder('dropout');
  const x = b.input('x', DataType.FLOAT, [64, 32]);
  const w = b.input('w', DataType.FLOAT, [64, 32]);
  const [y, mask] = b.ops(
    'Dropout',
    [x, b.constant(0.25, DataType.FLOAT), b.constant(1, DataType.BOOL)],
    { seed: attr.int(3) },
    { count: 2 },
  );
  const loss = b.op('ReduceSum', [b.op('Mul', [y!, w])], { keepdims: attr.int(0) });
  b.output(mask!, 'mask');
  b.output(addGradients(b, loss, [x]).get('x')!, 'dx');
  const xs = Array.from({ length: 64 * 32 }, (_, i) => Math.sin(i) + 2);
  const ws = Array.from({ length: 64 * 32 }, (_, i) => Math.cos(i));
  const out = await runGraph(b, { x: tensor(xs, [64, 32], DataType.FLOAT), w: tensor(ws, [64, 32], DataType.FLOAT) });
  const kept = out.mask!.filter(Boolean).length / out.mask!.length;
  expect(kept).toBeGreaterThan(0.65);
  expect(kept).toBeLessThan(0.85);
  out.dx!.forEach((g, i) => expect(g).toBeCloseTo((out.mask![i] ? Math.fround(ws[i]!) : 0) / 0.75, 5));
});
