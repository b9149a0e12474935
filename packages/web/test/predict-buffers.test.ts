// What predictArrays hands ONNX Runtime and what it hands back: the caller's rows go in as views
// (no copy) where that is safe, a copy per run where ORT-web's proxy would transfer (detach) the
// buffer, and every call's results are its own arrays.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { loadModel, type OrtModule } from '../src/index.js';
import { classLabels, toPredictions } from '../src/prediction-output.js';
import type { OnnxMlpMetadata } from '../src/model-metadata.js';
import { mnistTestSplit } from '../../../tests/helpers/mnist-test-split.js';
import { syntheticRecords, trainTabularModel } from '../../../tests/helpers/tabular-models.js';

const MNIST_MODEL = fileURLToPath(new URL('../../../models/mnist-mlp.onnx', import.meta.url));
const node = ortNode as unknown as OrtModule;

/** onnxruntime-node with its Tensor constructor recording the data each tensor wraps. */
function recordingRuntime(): { runtime: OrtModule; inputs: Float32Array[] } {
  const inputs: Float32Array[] = [];
  const RecordingTensor = new Proxy(ortNode.Tensor, {
    construct(target, args, newTarget) {
      const tensor = Reflect.construct(target, args, newTarget) as ortNode.Tensor;
      if (tensor.data instanceof Float32Array) inputs.push(tensor.data);
      return tensor;
    },
  });
  return { runtime: { ...node, Tensor: RecordingTensor } as unknown as OrtModule, inputs };
}

/**
 * A runtime that calls itself onnxruntime-web in proxy mode and runs on onnxruntime-node; like the
 * proxy's postMessage, each run transfers its input's buffer away (detaching it) before running.
 */
function proxyLikeRuntime(): OrtModule {
  const create = async (bytes: Uint8Array) => {
    const session = await ortNode.InferenceSession.create(bytes);
    return new Proxy(session, {
      get(target, key) {
        if (key !== 'run') return Reflect.get(target, key);
        return (feeds: Record<string, ortNode.Tensor>, fetches?: readonly string[]) => {
          const moved: Record<string, ortNode.Tensor> = {};
          for (const [name, t] of Object.entries(feeds)) {
            const data = t.data as Float32Array;
            const copy = structuredClone(data, { transfer: [data.buffer] });
            moved[name] = new ortNode.Tensor('float32', copy, t.dims);
          }
          return target.run(moved, fetches as string[]);
        };
      },
    });
  };
  const env = { versions: { web: 'proxy-like' }, wasm: { proxy: true } };
  return { ...node, env, InferenceSession: { create } } as unknown as OrtModule;
}

describe('predictArrays: the input rows', () => {
  it('on onnxruntime-node, each 4,096-row run reads a view of the caller’s array, and a view at an offset predicts as a copy does', async () => {
    const test = await mnistTestSplit(42);
    const { runtime, inputs } = recordingRuntime();
    const model = await loadModel(await readFile(MNIST_MODEL), { runtime });
    // 1,999 rows from row 1 on: an unaligned view whose 1,999 × 784 values the runs must find.
    const view = test.features.subarray(784, 2000 * 784);
    const fromView = await model.predictArrays(view, 1999);
    expect(inputs.map((x) => [x.buffer === test.features.buffer, x.byteOffset, x.length])).toEqual([[true, 784 * 4, 1999 * 784]]);
    const fromCopy = await model.predictArrays(view.slice(), 1999);
    expect(fromView.probabilities).toEqual(fromCopy.probabilities);
    expect(fromView.labels).toEqual(fromCopy.labels);
    // More rows than one run takes: three runs, each a view into the same array.
    const rows = 9000;
    const big = new Float32Array(rows * 784);
    for (let r = 0; r < rows; r++) big.set(test.features.subarray((r % 2000) * 784, ((r % 2000) + 1) * 784), r * 784);
    inputs.length = 0;
    const out = await model.predictArrays(big, rows);
    expect(inputs.map((x) => [x.buffer === big.buffer, x.byteOffset / 4 / 784, x.length / 784])).toEqual([
      [true, 0, 4096],
      [true, 4096, 4096],
      [true, 8192, 808],
    ]);
    // Row r of `big` is test digit r mod 2,000: its prediction is that digit's, from a run on a copy.
    const digits = await model.predictArrays(test.features.slice(0, 2000 * 784), 2000);
    const tiled = new Float32Array(rows * 10);
    for (let r = 0; r < rows; r++) tiled.set(digits.probabilities!.subarray((r % 2000) * 10, (r % 2000) * 10 + 10), r * 10);
    expect(out.probabilities).toEqual(tiled);
    expect(out.labels).toEqual(Array.from({ length: rows }, (_, r) => digits.labels[r % 2000]));
    await model.dispose();
  });

  it('where ORT-web’s proxy transfers each input buffer, every run gets its own copy: the caller’s array stays whole', async () => {
    const test = await mnistTestSplit(42);
    const rows = 5000;
    const features = new Float32Array(rows * 784);
    for (let r = 0; r < rows; r++) features.set(test.features.subarray((r % 2000) * 784, ((r % 2000) + 1) * 784), r * 784);
    const native = await loadModel(await readFile(MNIST_MODEL), { runtime: node });
    const want = await native.predictArrays(features, rows);
    await native.dispose();
    const model = await loadModel(await readFile(MNIST_MODEL), { runtime: proxyLikeRuntime() });
    expect(model.backend).toBe('wasm');
    const got = await model.predictArrays(features, rows);
    await model.dispose();
    expect(features.length).toBe(rows * 784);
    expect(features.subarray(0, 784)).toEqual(test.features.subarray(0, 784));
    expect(got.probabilities).toEqual(want.probabilities);
    expect(got.labels).toEqual(want.labels);
  });
});

describe('predictArrays: rows on a SharedArrayBuffer', () => {
  it.each([
    ['onnxruntime-node', node],
    ['onnxruntime-web (WASM)', ortWeb as unknown as OrtModule],
  ])(
    '%s predicts them as it predicts the same rows in a plain array (node cannot take a view of one: each run copies)',
    async (_, runtime) => {
      const test = await mnistTestSplit(42);
      const rows = 4500;
      const plain = new Float32Array(rows * 784);
      for (let r = 0; r < rows; r++) plain.set(test.features.subarray((r % 2000) * 784, ((r % 2000) + 1) * 784), r * 784);
      const shared = new Float32Array(new SharedArrayBuffer(plain.byteLength));
      shared.set(plain);
      const model = await loadModel(await readFile(MNIST_MODEL), { runtime });
      const want = await model.predictArrays(plain, rows);
      const got = await model.predictArrays(shared, rows);
      await model.dispose();
      expect(got.probabilities).toEqual(want.probabilities);
      expect(got.labels).toEqual(want.labels);
    },
  );
});

describe('predictArrays and predict: each call’s results are its own', () => {
  it('two consecutive calls return distinct arrays, and the first keeps its values after the second', async () => {
    const test = await mnistTestSplit(42);
    const model = await loadModel(await readFile(MNIST_MODEL), { runtime: node });
    const first = await model.predictArrays(test.features.subarray(0, 784), 1);
    const kept = Array.from(first.probabilities!);
    const second = await model.predictArrays(test.features.subarray(784, 2 * 784), 1);
    await model.dispose();
    expect(second.probabilities).not.toBe(first.probabilities);
    expect(second.probabilities!.buffer).not.toBe(first.probabilities!.buffer);
    expect(Array.from(first.probabilities!)).toEqual(kept);
    expect(Array.from(second.probabilities!)).not.toEqual(kept);
  });

  it('calls in flight together each get the prediction of their own record', async () => {
    const fixture = await trainTabularModel(syntheticRecords(150, 3), 'multiclass');
    const model = await loadModel(fixture.bytes, { runtime: node });
    const records = syntheticRecords(40, 8);
    const one = [];
    for (const r of records) one.push((await model.predict([r]))[0]);
    const together = await Promise.all(records.map((r) => model.predict([r])));
    await model.dispose();
    expect(together.map((p) => p[0])).toEqual(one);
    expect(new Set(one.map((p) => p!.probabilities!.mid)).size).toBeGreaterThan(10);
  });
});

describe('predict: a refused record, alone or among others, is named as before', () => {
  it('missing columns win over a bad value in an earlier column; all missing ones are named; a non-object is bad-input', async () => {
    const fixture = await trainTabularModel(syntheticRecords(100, 5), 'binary');
    const model = await loadModel(fixture.bytes, { runtime: node });
    const good = { age: '40', income: '50', member: 'yes', city: 'oslo' };
    const { income: _, city: __, ...twoMissing } = { ...good, age: 'forty' };
    const refusal = (records: unknown[]) =>
      model.predict(records as Record<string, unknown>[]).then(
        () => null,
        (e: { code: string; message: string }) => [e.code, e.message],
      );
    const missing = [
      'missing-column',
      'record 1 has no columns "income", "city"; the model expects the columns "age", "income", "member", "city"',
    ];
    expect(await refusal([twoMissing])).toEqual(missing);
    expect(await refusal([good, twoMissing])).toEqual(['missing-column', missing[1]!.replace('record 1', 'record 2')]);
    expect(await refusal([{ ...good, member: 'maybe' }])).toEqual([
      'bad-value',
      'record 1, column "member": "maybe" is not a boolean (true/false, 1/0, yes/no)',
    ]);
    expect(await refusal([good, 7])).toEqual(['bad-input', 'record 2 is number, not an object keyed by column name']);
    expect(await refusal([null])).toEqual(['bad-input', 'record 1 is null, not an object keyed by column name']);
    await model.dispose();
  });
});

describe('class labels and probabilities', () => {
  it('reads every int64 label as Number() does: small indexes by name, others (2^31, 2^32 + 1, negative) as numbers', () => {
    const names = ['a', 'b', 'c'];
    const values = [0n, 2n, 1n, 3n, 2n ** 31n, 2n ** 32n + 1n, -1n, -(2n ** 40n)];
    const chunk = BigInt64Array.from(values);
    expect(classLabels([chunk.subarray(0, 3), chunk.subarray(3)], names)).toEqual(['a', 'c', 'b', ...values.slice(3).map(Number)]);
  });

  it('a class named "__proto__" is an own key of the probabilities, in class order, as Object.fromEntries makes it', () => {
    const meta = { task: 'multiclass', classNames: ['x', '__proto__', 'y'] } as unknown as OnnxMlpMetadata;
    const probabilities = Float32Array.from([0.25, 0.5, 0.25]);
    const [p] = toPredictions({ rows: 1, outputs: 3, probabilities, labels: ['__proto__'] }, meta);
    expect(Object.getPrototypeOf(p!.probabilities)).toBe(Object.prototype);
    expect(Object.entries(p!.probabilities!)).toEqual([
      ['x', 0.25],
      ['__proto__', 0.5],
      ['y', 0.25],
    ]);
  });
});
