import { describe, expect, it } from 'vitest';
import { addGradients } from '@onnx-mlp/core/autodiff';
import { DataType, GraphBuilder, type Value } from '@onnx-mlp/core/ir';
import { emitLogitsGradient, emitTaskLoss } from '@onnx-mlp/core/losses';
import { mlpSpec } from '@onnx-mlp/core';
import { runGraph, tensor } from './helpers/ort.js';

const f64 = DataType.DOUBLE;
const i64 = DataType.INT64;
const LOGITS_4x3 = [0.3, -1.2, 2.0, 1.5, 0.1, -0.7, -0.4, -0.4, 0.9, 2.2, 1.1, -3.0];
const LABELS_4 = [2, 0, 1, 0];
const BCE_Z = [30, -30, 0.7, -1.3, 12];
const BCE_Y = [0, 1, 0.25, 1, 0.6];
const MSE_T = [0.0, -0.5, 1.0, 1.25, -0.25, 0.5, 2.0, -1.0];

interface Case {
  readonly task: 'multiclass' | 'binary' | 'regression';
  readonly z: { dims: number[]; data: number[] };
  readonly target: { dims: number[]; data: number[]; dtype: DataType };
  readonly classWeights?: number[];
}

/** The closed-form gradient and the one autodiff gives by differentiating the loss's nodes, side by side. */
async function bothGradients(c: Case): Promise<{ closed: number[]; autodiff: number[] }> {
  const spec = mlpSpec({ inputs: 2, hidden: [], outputs: c.z.dims[1]!, task: c.task });
  const b = new GraphBuilder('loss_grad');
  // The logits as a computed value (z * 1), so the walk has a node to start from.
  const z = b.input('z', f64, ['batch', c.z.dims[1]!]);
  const logits: Value = b.op('Mul', [z, b.constant(1, f64)]);
  const target = b.input('target', c.target.dtype, ['batch', ...c.target.dims.slice(1)]);
  const inputs = { logits, target, classWeights: c.classWeights };
  const loss = emitTaskLoss(b, spec, inputs);
  b.output(addGradients(b, loss, [z]).get('z')!, 'autodiff');
  b.output(emitLogitsGradient(b, spec, inputs), 'closed');
  const out = await runGraph(b, { z: tensor(c.z.data, c.z.dims), target: tensor(c.target.data, c.target.dims, c.target.dtype) });
  return { closed: out.closed!, autodiff: out.autodiff! };
}

const cases: Record<string, Case> = {
  'softmax cross-entropy': {
    task: 'multiclass',
    z: { dims: [4, 3], data: LOGITS_4x3 },
    target: { dims: [4], data: LABELS_4, dtype: i64 },
  },
  'softmax cross-entropy, class weights [0.5, 2, 1]': {
    task: 'multiclass',
    z: { dims: [4, 3], data: LOGITS_4x3 },
    target: { dims: [4], data: LABELS_4, dtype: i64 },
    classWeights: [0.5, 2, 1],
  },
  'binary cross-entropy (|z| up to 30, soft targets)': {
    task: 'binary',
    z: { dims: [5, 1], data: BCE_Z },
    target: { dims: [5, 1], data: BCE_Y, dtype: f64 },
  },
  'binary cross-entropy, class weights [0.3, 2]': {
    task: 'binary',
    z: { dims: [5, 1], data: BCE_Z },
    target: { dims: [5, 1], data: BCE_Y, dtype: f64 },
    classWeights: [0.3, 2],
  },
  'mean squared error [4, 2]': {
    task: 'regression',
    z: { dims: [4, 2], data: LOGITS_4x3.slice(0, 8) },
    target: { dims: [4, 2], data: MSE_T, dtype: f64 },
  },
};

describe('emitLogitsGradient equals the gradient autodiff takes through the loss (float64)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const { closed, autodiff } = await bothGradients(c);
      expect(closed).toHaveLength(c.z.data.length);
      const scale = Math.max(...autodiff.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      for (let i = 0; i < closed.length; i++) expect(Math.abs(closed[i]! - autodiff[i]!)).toBeLessThan(1e-12);
    });
  }

  it('softmax cross-entropy by hand: row 0 (label 2) is (softmax - [0, 0, 1]) / 4', async () => {
    const { closed } = await bothGradients(cases['softmax cross-entropy']!);
    const row = LOGITS_4x3.slice(0, 3).map(Math.exp);
    const sum = row.reduce((s, v) => s + v, 0);
    const expected = row.map((v, k) => (v / sum - (k === 2 ? 1 : 0)) / 4);
    for (let k = 0; k < 3; k++) expect(closed[k]).toBeCloseTo(expected[k]!, 12);
  });
});
