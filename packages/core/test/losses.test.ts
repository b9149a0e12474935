import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder } from '@onnx-mlp/core/ir';
import { addGradients } from '@onnx-mlp/core/autodiff';
import { binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy } from '@onnx-mlp/core/losses';
import { checkGradients } from './helpers/gradcheck.js';
import { runGraph, tensor } from './helpers/ort.js';

const f64 = DataType.DOUBLE;
const f32 = DataType.FLOAT;
const i64 = DataType.INT64;

// Fixed data, written out so the plain-TypeScript references below read the same numbers.
const LOGITS_4x3 = [0.3, -1.2, 2.0, 1.5, 0.1, -0.7, -0.4, -0.4, 0.9, 2.2, 1.1, -3.0];
const LABELS_4 = [2, 0, 1, 0];
// Some logits far out (|z| = 30, 12) to show the stable form; none near 0, where Abs and Relu kink.
const BCE_Z = [30, -30, 0.7, -1.3, 12];
const BCE_Y = [0, 1, 0.25, 1, 0.6];
const MSE_P = [0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 3.0, -2.5];
const MSE_T = [0.0, -0.5, 1.0, 1.25, -0.25, 0.5, 2.0, -1.0];

/** Reference: mean over rows of -log softmax(z)[label], log-sum-exp shifted by the row max. */
function refSoftmaxCrossEntropy(z: readonly number[], labels: readonly number[], classes: number): number {
  let sum = 0;
  labels.forEach((y, i) => {
    const row = z.slice(i * classes, (i + 1) * classes);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    sum += lse - row[y]!;
  });
  return sum / labels.length;
}

/** Reference: mean of -(y log s(z) + (1-y) log(1 - s(z))), written as softplus(z) - y z with log1p. */
function refBinaryCrossEntropy(z: readonly number[], y: readonly number[]): number {
  const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  return z.reduce((s, v, i) => s + softplus(v) - v * y[i]!, 0) / z.length;
}

function refMeanSquaredError(p: readonly number[], t: readonly number[]): number {
  return p.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0) / p.length;
}

describe('loss gradients agree with central finite differences (float64, ORT CPU)', () => {
  it('softmaxCrossEntropy: logits [4,3], int64 labels', async () => {
    const err = await checkGradients({
      inputs: { z: { dims: [4, 3], data: LOGITS_4x3 }, y: { dims: [4], data: LABELS_4, dtype: i64 } },
      build: (b, x) => softmaxCrossEntropy(b, x.z!, x.y!),
    });
    expect(err).toBeLessThan(1e-6);
  });

  it('binaryCrossEntropyWithLogits: logits [5,1] with |z| up to 30, targets in [0,1] (both differentiated)', async () => {
    const err = await checkGradients({
      inputs: { z: { dims: [5, 1], data: BCE_Z }, y: { dims: [5, 1], data: BCE_Y } },
      build: (b, x) => binaryCrossEntropyWithLogits(b, x.z!, x.y!),
    });
    expect(err).toBeLessThan(1e-6);
  });

  it('softmaxCrossEntropy with class weights [0.5, 2, 1]', async () => {
    const err = await checkGradients({
      inputs: { z: { dims: [4, 3], data: LOGITS_4x3 }, y: { dims: [4], data: LABELS_4, dtype: i64 } },
      build: (b, x) => softmaxCrossEntropy(b, x.z!, x.y!, [0.5, 2, 1]),
    });
    expect(err).toBeLessThan(1e-6);
  });

  it('binaryCrossEntropyWithLogits with class weights [0.3, 2]', async () => {
    const err = await checkGradients({
      inputs: { z: { dims: [5, 1], data: BCE_Z }, y: { dims: [5, 1], data: BCE_Y } },
      build: (b, x) => binaryCrossEntropyWithLogits(b, x.z!, x.y!, [0.3, 2]),
    });
    expect(err).toBeLessThan(1e-6);
  });

  it('meanSquaredError: predictions and targets [4,2] (both differentiated)', async () => {
    const err = await checkGradients({
      inputs: { p: { dims: [4, 2], data: MSE_P }, t: { dims: [4, 2], data: MSE_T } },
      build: (b, x) => meanSquaredError(b, x.p!, x.t!),
    });
    expect(err).toBeLessThan(1e-6);
  });
});

describe('loss values equal a plain-TypeScript computation (float64, within 1e-9)', () => {
  it('softmaxCrossEntropy', async () => {
    const b = new GraphBuilder('sce');
    const loss = softmaxCrossEntropy(b, b.input('z', f64, [4, 3]), b.input('y', i64, [4]));
    expect(loss.shape).toEqual([]);
    b.output(loss, 'loss');
    const out = await runGraph(b, { z: tensor(LOGITS_4x3, [4, 3]), y: tensor(LABELS_4, [4], i64) });
    const ref = refSoftmaxCrossEntropy(LOGITS_4x3, LABELS_4, 3);
    expect(ref).toBeCloseTo(0.63344, 4); // worked by hand: (0.20165 + 0.30563 + 1.73507 + 0.29146) / 4
    expect(Math.abs(out.loss![0]! - ref)).toBeLessThan(1e-9);
  });

  it('softmaxCrossEntropy is shift-invariant: logits + 1000 give the same loss (no exp overflow)', async () => {
    const b = new GraphBuilder('sce');
    b.output(softmaxCrossEntropy(b, b.input('z', f64, [4, 3]), b.input('y', i64, [4])), 'loss');
    const shifted = LOGITS_4x3.map((v) => v + 1000);
    const out = await runGraph(b, { z: tensor(shifted, [4, 3]), y: tensor(LABELS_4, [4], i64) });
    expect(Math.abs(out.loss![0]! - refSoftmaxCrossEntropy(LOGITS_4x3, LABELS_4, 3))).toBeLessThan(1e-9);
  });

  it('binaryCrossEntropyWithLogits', async () => {
    const b = new GraphBuilder('bce');
    b.output(binaryCrossEntropyWithLogits(b, b.input('z', f64, [5, 1]), b.input('y', f64, [5, 1])), 'loss');
    const out = await runGraph(b, { z: tensor(BCE_Z, [5, 1]), y: tensor(BCE_Y, [5, 1]) });
    const ref = refBinaryCrossEntropy(BCE_Z, BCE_Y);
    // z = 30, y = 0 alone contributes 30/5 = 6: the naive log(1 - sigmoid(30)) form would give -log(0) in float32.
    expect(ref).toBeGreaterThan(6);
    expect(Math.abs(out.loss![0]! - ref)).toBeLessThan(1e-9);
  });

  it('meanSquaredError', async () => {
    const b = new GraphBuilder('mse');
    b.output(meanSquaredError(b, b.input('p', f64, [4, 2]), b.input('t', f64, [4, 2])), 'loss');
    const out = await runGraph(b, { p: tensor(MSE_P, [4, 2]), t: tensor(MSE_T, [4, 2]) });
    const ref = refMeanSquaredError(MSE_P, MSE_T);
    expect(ref).toBeCloseTo(0.875, 12);
    expect(Math.abs(out.loss![0]! - ref)).toBeLessThan(1e-9);
  });
});

describe('binary cross-entropy stays finite at z = ±100 (value and gradient)', () => {
  const z = [100, -100, 100, -100];
  const y = [0, 1, 1, 0];
  // Per element: z=100,y=0 -> 100; z=-100,y=1 -> 100; matching signs -> log1p(e^-100) ~ 3.7e-44.
  const expected = (100 + 100 + 2 * Math.log1p(Math.exp(-100))) / 4;
  // d/dz = (sigmoid(z) - y) / N: -> 1/4, -1/4, ~0, ~0.
  const expectedGrad = z.map((v, i) => (1 / (1 + Math.exp(-v)) - y[i]!) / 4);

  for (const [dtype, name] of [
    [f64, 'float64'],
    [f32, 'float32'],
  ] as const) {
    it(name, async () => {
      const b = new GraphBuilder('bce');
      const zv = b.input('z', dtype, [4, 1]);
      const loss = binaryCrossEntropyWithLogits(b, zv, b.input('y', dtype, [4, 1]));
      b.output(loss, 'loss');
      b.output(addGradients(b, loss, [zv]).get('z')!, 'dz');
      const out = await runGraph(b, { z: tensor(z, [4, 1], dtype), y: tensor(y, [4, 1], dtype) });
      expect(out.loss!.every(Number.isFinite)).toBe(true);
      expect(out.dz!.every(Number.isFinite)).toBe(true);
      expect(Math.abs(out.loss![0]! - expected)).toBeLessThan(dtype === f64 ? 1e-9 : 1e-5 * expected);
      out.dz!.forEach((g, i) => expect(Math.abs(g - expectedGrad[i]!)).toBeLessThan(1e-7));
    });
  }
});
