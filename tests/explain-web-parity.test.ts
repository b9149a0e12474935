// The explain graph is an ordinary ONNX model: onnxruntime-web's WASM backend (in Node) gives the
// attributions onnxruntime-node gives, on the shipped MNIST model and on a model with preprocessing.
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { EXPLAIN_IO, buildExplainModel } from '@onnx-mlp/core/explain';
import { smallModel } from '../packages/core/test/helpers/explain-models.js';
import { mnistTestSplit } from './helpers/mnist-test-split.js';

type Runtime = typeof ortNode | typeof ortWeb;

beforeAll(() => {
  ortWeb.env.wasm.numThreads = 1;
});

async function run(runtime: Runtime, model: Uint8Array, rows: Float32Array, columns: number): Promise<Record<string, number[]>> {
  const session = await (runtime.InferenceSession as typeof ortNode.InferenceSession).create(model);
  const input = new runtime.Tensor('float32', rows, [rows.length / columns, columns]) as ortNode.Tensor;
  const out = await session.run({ [session.inputNames[0]!]: input });
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as ArrayLike<number | bigint>, Number)]));
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

describe('the explain graph in onnxruntime-web (WASM) agrees with onnxruntime-node', () => {
  it('shipped MNIST model, integrated gradients (32 steps, zero baseline) on 16 test digits: every attribution within 1e-5', async () => {
    const { model, facts } = buildExplainModel(decodeModel(readFileSync('models/mnist-mlp.onnx')), { steps: 32 });
    expect(facts).toMatchObject({ baseline: 'zero', steps: 32, method: 'integrated-gradients' });
    expect(facts.columns).toHaveLength(784);
    const test = await mnistTestSplit();
    const rows = Float32Array.from(test.features.subarray(0, 16 * 784));
    const bytes = encodeModel(model);
    const [node, web] = await Promise.all([run(ortNode, bytes, rows, 784), run(ortWeb, bytes, rows, 784)]);
    const attributions = node[EXPLAIN_IO.attributions]!;
    expect(Math.max(...attributions.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(web[EXPLAIN_IO.attributions]!, attributions)).toBeLessThan(1e-5);
    expect(web[EXPLAIN_IO.explainedClass]).toEqual(node[EXPLAIN_IO.explainedClass]);
    // Completeness on the real model: the heat map's sum is the predicted probability minus the black image's.
    for (let r = 0; r < 16; r++) {
      const change = node[EXPLAIN_IO.output]![r]! - node[EXPLAIN_IO.baselineOutput]![r]!;
      const sum = attributions.slice(r * 784, (r + 1) * 784).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - change)).toBeLessThan(0.05 * Math.abs(change) + 1e-3);
    }
  });

  it('a classifier with numeric, boolean and categorical columns and missing cells, both methods: within 1e-5', async () => {
    const rows = Float32Array.from([30, 2000, 1, 0, Number.NaN, 4000, 0, 2, 45, Number.NaN, 1, Number.NaN, 19, 3900, 0, 1]);
    for (const method of ['gradient', 'integrated-gradients'] as const) {
      const bytes = encodeModel(buildExplainModel(smallModel('multiclass', 'relu'), { method, steps: 64 }).model);
      const [node, web] = await Promise.all([run(ortNode, bytes, rows, 4), run(ortWeb, bytes, rows, 4)]);
      expect(node[EXPLAIN_IO.attributions]!.some((v) => Math.abs(v) > 1e-3)).toBe(true);
      expect(maxAbsDiff(web[EXPLAIN_IO.attributions]!, node[EXPLAIN_IO.attributions]!)).toBeLessThan(1e-5);
      expect(maxAbsDiff(web[EXPLAIN_IO.output]!, node[EXPLAIN_IO.output]!)).toBeLessThan(1e-5);
    }
  });
});
