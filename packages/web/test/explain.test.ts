// Model.explainArrays: the explain graph core builds, run on the model's own runtime.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { EXPLAIN_IO, buildExplainModel } from '@onnx-mlp/core/explain';
import { DataType, GraphBuilder, attr, makeModel } from '@onnx-mlp/core/ir';
import { loadModel, WebModelError, type OrtModule } from '../src/index.js';
import { mnistTestSplit } from '../../../tests/helpers/mnist-test-split.js';
import { smallModel } from '../../core/test/helpers/explain-models.js';

const MNIST_MODEL = fileURLToPath(new URL('../../../models/mnist-mlp.onnx', import.meta.url));

describe('Model.explainArrays', () => {
  it('onnxruntime-web (WASM): 8 test digits give the attributions of the explain graph on onnxruntime-node within 1e-5, and the classes by name', async () => {
    const bytes = await readFile(MNIST_MODEL);
    const test = await mnistTestSplit();
    const pixels = test.features.slice(0, 8 * 784);
    const model = await loadModel(new Uint8Array(bytes), { runtime: ortWeb as unknown as OrtModule });
    const got = await model.explainArrays(pixels, 8, { steps: 32 });
    expect(got.facts).toMatchObject({ method: 'integrated-gradients', steps: 32, baseline: 'zero' });
    expect(got.columns).toHaveLength(784);
    const session = await ortNode.InferenceSession.create(encodeModel(buildExplainModel(decodeModel(bytes), { steps: 32 }).model));
    const want = await session.run({ input: new ortNode.Tensor('float32', pixels, [8, 784]) });
    await session.release();
    const expected = want[EXPLAIN_IO.attributions]!.data as Float32Array;
    expect(got.attributions.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0)).toBeLessThan(1e-5);
    expect(got.classes).toEqual(Array.from(want[EXPLAIN_IO.explainedClass]!.data as BigInt64Array, (k) => String(k)));
    const predicted = await model.predictArrays(pixels, 8);
    expect(got.classes).toEqual(predicted.labels.map(String));
    await model.dispose();
  });

  it('explain(records): per record the class, output, attributions by column name, and the missing columns; equal to explainArrays on the encoded rows', async () => {
    const model = await loadModel(encodeModel(smallModel('multiclass', 'relu')), { runtime: ortNode as unknown as OrtModule });
    const records = [
      { age: 30, income: 2000, member: 1, city: 'kyiv' },
      { age: 62, income: 4000, member: 0, city: null },
    ];
    const got = await model.explain(records, { steps: 64 });
    const arrays = await model.explainArrays(Float32Array.from([30, 2000, 1, 0, 62, 4000, 0, Number.NaN]), 2, { steps: 64 });
    expect(got.map((e) => e.missing)).toEqual([[], ['city']]);
    expect(got.map((e) => e.label)).toEqual(arrays.classes);
    expect(got[1]!.attributions).toEqual({
      age: arrays.attributions[4],
      income: arrays.attributions[5],
      member: arrays.attributions[6],
      city: 0,
    });
    const sum = Object.values(got[0]!.attributions).reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - (got[0]!.output - got[0]!.baselineOutput))).toBeLessThan(
      0.01 * Math.abs(got[0]!.output - got[0]!.baselineOutput),
    );
    const mnist = await loadModel(new Uint8Array(await readFile(MNIST_MODEL)), { runtime: ortNode as unknown as OrtModule });
    await expect(mnist.explain([{}])).rejects.toThrow(/explain\(records\) needs the onnx-mlp preprocessing metadata.*use explainArrays/);
    await Promise.all([model.dispose(), mnist.dispose()]);
  });

  it('a model whose output does not depend differentiably on its input: a WebModelError not-explainable naming the op', async () => {
    const b = new GraphBuilder('argmax');
    const x = b.input('x', DataType.FLOAT, ['N', 3]);
    b.output(b.op('Cast', [b.op('ArgMax', [x], { axis: attr.int(1), keepdims: attr.int(1) })], { to: attr.int(DataType.FLOAT) }), 'y');
    const model = await loadModel(encodeModel(makeModel(b.build())), { runtime: ortNode as unknown as OrtModule });
    const error = await model.explainArrays(new Float32Array(3), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebModelError);
    expect((error as WebModelError).code).toBe('not-explainable');
    expect((error as Error).message).toMatch(/gradient stops at op ArgMax/);
    await model.dispose();
  });
});
