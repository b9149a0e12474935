// loadModel/predict in Node, on onnxruntime-node and on onnxruntime-web (WASM in Node), against the
// CLI's own inference path and `onnx-mlp predict` output.
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { exportMissingMask } from '@onnx-mlp/core/artifacts';
import { loadInferenceModel, runBatch } from '../../cli/src/model/inference-model.js';
import { loadModel, WebModelError, type OrtModule } from '../src/index.js';
import { mnistTestSplit } from '../../../tests/helpers/mnist-test-split.js';
import { runCli } from '../../../tests/helpers/run-cli.js';
import { syntheticRecords, toCsv, trainTabularModel, type TabularFixture, type TextRecord } from '../../../tests/helpers/tabular-models.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/temp-dir.js';

const MNIST_MODEL = fileURLToPath(new URL('../../../models/mnist-mlp.onnx', import.meta.url));
const RUNTIMES: [string, OrtModule][] = [
  ['onnxruntime-node', ortNode as unknown as OrtModule],
  ['onnxruntime-web (WASM)', ortWeb as unknown as OrtModule],
];

let dir: string;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  dir = await makeTempDir('onnx-mlp-web-');
  const mnist = await readFile(MNIST_MODEL);
  server = createServer((req, res) => {
    if (req.url === '/mnist-mlp.onnx') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(mnist);
    else res.writeHead(404, 'Not Found').end('no such file');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeDir(dir);
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('loadModel: models/mnist-mlp.onnx on the 2,000 test digits', () => {
  it.each(RUNTIMES)("%s gives the CLI inference path's argmax on every digit and probabilities within 1e-5", async (_, runtime) => {
    const test = await mnistTestSplit(42);
    const cli = await loadInferenceModel(MNIST_MODEL, 'predict');
    const expected = await runBatch(cli, test.features, test.rows);
    await cli.session.release();

    const model = await loadModel(await readFile(MNIST_MODEL), { runtime });
    expect(model.backend).toBe(runtime === (ortWeb as unknown) ? 'wasm' : 'native');
    expect(model.task).toBe('multiclass');
    expect(model.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(model.inputColumns).toBeNull();
    const out = await model.predictArrays(test.features, test.rows);
    await model.dispose();
    expect(out.rows).toBe(2000);
    expect(out.outputs).toBe(10);
    expect(out.labels).toEqual(Array.from(expected.labels!, (l) => String(l)));
    expect(maxAbsDiff(out.probabilities!, expected.values)).toBeLessThan(1e-5);
  });

  it('takes the model as a URL, an ArrayBuffer, a Uint8Array and a Blob/File, with the same predictions', async () => {
    const bytes = new Uint8Array(await readFile(MNIST_MODEL));
    const test = await mnistTestSplit(42);
    const x = test.features.subarray(0, 50 * 784);
    const sources = [
      `${baseUrl}/mnist-mlp.onnx`,
      new URL(`${baseUrl}/mnist-mlp.onnx`),
      bytes.slice().buffer,
      bytes,
      new Blob([bytes]),
      new File([bytes], 'mnist-mlp.onnx'),
    ];
    const results = [];
    for (const source of sources) {
      const model = await loadModel(source, { runtime: ortNode as unknown as OrtModule });
      results.push(await model.predictArrays(x, 50));
      expect(model.info.bytes).toBe(bytes.length);
      await model.dispose();
    }
    for (const r of results) expect(r.probabilities).toEqual(results[0]!.probabilities);
    // And they are the digits' classes (the shipped model is ~97% accurate).
    const right = results[0]!.labels.filter((l, i) => l === String(test.targets[i])).length;
    expect(right).toBeGreaterThanOrEqual(45);
  });

  it('info shows the layers, input and training facts that inspect shows', async () => {
    const model = await loadModel(await readFile(MNIST_MODEL), { runtime: ortWeb as unknown as OrtModule });
    const info = model.info;
    await model.dispose();
    expect(info.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 784] }]);
    expect(info.onnxMlp!.layers.map((l) => [l.name, l.inputs, l.outputs, l.activation])).toEqual([
      ['dense1', 784, 128, 'relu'],
      ['dense2', 128, 128, 'relu'],
      ['output', 128, 10, 'softmax'],
    ]);
    expect(info.onnxMlp!.parameters).toBe(784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10);
    expect(info.onnxMlp!.training.seed).toBe(42);
    expect(info.metadata['onnx_mlp.kind']).toBe('inference');
  });

  it('predict(records) on an onnx-mlp model without preprocessing (MNIST pixels) says to use predictArrays', async () => {
    const bytes = await readFile(MNIST_MODEL);
    const size = bytes.length;
    const model = await loadModel(bytes, { runtime: ortNode as unknown as OrtModule });
    const e = await model.predict([{ pixel0: 0 }]).then(
      () => undefined,
      (err: unknown) => err,
    );
    await model.dispose();
    expect(e).toBeInstanceOf(WebModelError);
    expect(e).toMatchObject({
      code: 'not-onnx-mlp',
      message:
        `the given Uint8Array (${size} bytes) is an onnx-mlp model trained without preprocessing (on arrays, like MNIST): ` +
        'predict(records) needs the onnx-mlp preprocessing metadata to encode records; use predictArrays(features, rows)',
    });
  });
});

describe('loadModel: predict(records) on a tabular model gives what `onnx-mlp predict` prints', () => {
  const records = syntheticRecords(300, 11);
  const fixtures: Partial<Record<'multiclass' | 'binary' | 'regression', TabularFixture>> = {};

  async function cliPredictions(
    task: 'multiclass' | 'binary' | 'regression',
    rows: readonly TextRecord[],
  ): Promise<Record<string, unknown>[]> {
    const fixture = (fixtures[task] ??= await trainTabularModel(records, task));
    const modelPath = join(dir, `${task}.onnx`);
    const dataPath = join(dir, `${task}.csv`);
    await writeFile(modelPath, fixture.bytes);
    await writeFile(dataPath, toCsv(rows));
    const result = await runCli(['predict', modelPath, '--data', dataPath, '--format', 'jsonl'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it.each(['multiclass', 'binary', 'regression'] as const)(
    '%s: the same label and float32 values on every row, in both runtimes',
    async (task) => {
      const rows = syntheticRecords(120, 99);
      const expected = await cliPredictions(task, rows);
      for (const [, runtime] of RUNTIMES) {
        const model = await loadModel(fixtures[task]!.bytes, { runtime });
        expect(model.inputColumns).toEqual(['age', 'income', 'member', 'city']);
        const got = await model.predict(rows);
        // Missing values as null rather than "" / "NA" mean the same.
        const withNulls = await model.predict(
          rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' || v === 'NA' ? null : v]))),
        );
        await model.dispose();
        expect(withNulls).toEqual(got);
        const exact = runtime === (ortNode as unknown);
        got.forEach((p, i) => {
          const cli = expected[i]!;
          if (task === 'regression') {
            expect(p.label).toBe(p.value);
            if (exact) expect(p.value).toBe(Math.fround(cli.prediction as number));
            else expect(Math.abs(p.value! - (cli.prediction as number))).toBeLessThan(1e-5);
            return;
          }
          expect(p.label).toBe(cli.label);
          for (const name of fixtures[task]!.classNames!) {
            const want = Math.fround(cli[`p_${name}`] as number);
            if (exact) expect(p.probabilities![name]).toBe(want);
            else expect(Math.abs(p.probabilities![name]! - want)).toBeLessThan(1e-5);
          }
        });
      }
    },
  );
});

describe('loadModel: an export with a `missing` mask input (onnx-mlp export --missing mask)', () => {
  it('predicts what its source predicts, records with missing cells included, in both runtimes', async () => {
    const fixture = await trainTabularModel(syntheticRecords(200, 5), 'multiclass');
    const exported = encodeModel(await exportMissingMask(decodeModel(fixture.bytes)));
    const rows = [...syntheticRecords(80, 17), { age: 'NA', income: '', member: 'yes', city: '' }];
    expect(rows.filter((r) => r.age === 'NA' || r.income === '' || r.city === '').length).toBeGreaterThan(5);
    for (const [, runtime] of RUNTIMES) {
      const [source, mask] = await Promise.all([loadModel(fixture.bytes, { runtime }), loadModel(exported, { runtime })]);
      const [want, got] = await Promise.all([source.predict(rows), mask.predict(rows)]);
      await Promise.all([source.dispose(), mask.dispose()]);
      expect(got).toEqual(want);
    }
  });
});

describe('loadModel: bad input rejects with a typed WebModelError', () => {
  async function rejection(promise: Promise<unknown>): Promise<WebModelError> {
    const e = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(WebModelError);
    return e as WebModelError;
  }

  it('a URL that answers 404: code fetch-failed, naming the URL and the status', async () => {
    const url = `${baseUrl}/missing.onnx`;
    const e = await rejection(loadModel(url, { runtime: ortWeb as unknown as OrtModule }));
    expect(e.code).toBe('fetch-failed');
    expect(e.message).toBe(`${url}: the server answered 404 Not Found, not the model`);
  });

  it('bytes that are not ONNX (text, empty, random): code not-onnx, naming the source', async () => {
    const text = new File(['id,age\n1,2\n'], 'data.csv');
    expect(await rejection(loadModel(text, { runtime: ortWeb as unknown as OrtModule }))).toMatchObject({
      code: 'not-onnx',
      message: expect.stringMatching(/^data\.csv is not an ONNX model \(/),
    });
    expect(await rejection(loadModel(new Uint8Array(0), { runtime: ortWeb as unknown as OrtModule }))).toMatchObject({
      code: 'not-onnx',
      message: 'the given Uint8Array (0 bytes) is not an ONNX model (it is empty)',
    });
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expect((await rejection(loadModel(random, { runtime: ortWeb as unknown as OrtModule }))).code).toBe('not-onnx');
  });

  it('an ONNX model not made by onnx-mlp: predictArrays works on its float matrix input, predict(records) says records need onnx-mlp metadata', async () => {
    const mnist = new Uint8Array(await readFile(MNIST_MODEL));
    const foreign = encodeModel({ ...decodeModel(mnist), metadata: new Map(), producerName: 'someone-else' });
    const test = await mnistTestSplit(42);
    for (const [, runtime] of RUNTIMES) {
      const original = await loadModel(mnist, { runtime });
      const model = await loadModel(foreign, { runtime });
      expect([model.task, model.classNames, model.inputColumns, model.info.onnxMlp]).toEqual([null, null, null, null]);
      const x = test.features.subarray(0, 100 * 784);
      const want = await original.predictArrays(x, 100);
      const got = await model.predictArrays(x, 100);
      // Its first float output is `probabilities`; labels are the argmax index.
      expect(got.outputs).toBe(10);
      expect(got.values).toEqual(want.probabilities);
      expect(got.labels.map(String)).toEqual(want.labels);
      const e = await rejection(model.predict([{ a: 1 }]));
      expect(e.code).toBe('not-onnx-mlp');
      expect(e.message).toContain('predict(records) needs the onnx-mlp preprocessing metadata');
      await model.dispose();
      await original.dispose();
    }
  });

  it('a record missing a column: code missing-column, naming the record and the column; a bad value: code bad-value', async () => {
    const fixture = await trainTabularModel(syntheticRecords(100, 5), 'binary');
    const model = await loadModel(fixture.bytes, { runtime: ortWeb as unknown as OrtModule });
    const good = { age: '40', income: '50', member: 'yes', city: 'oslo' };
    const { income: _, ...noIncome } = good;
    const e = await rejection(model.predict([good, noIncome]));
    expect(e.code).toBe('missing-column');
    expect(e.message).toBe('record 2 has no column "income"; the model expects the columns "age", "income", "member", "city"');
    const bad = await rejection(model.predict([{ ...good, age: 'forty' }]));
    expect(bad).toMatchObject({ code: 'bad-value', message: 'record 1, column "age": "forty" is not a number' });
    const width = await rejection(model.predictArrays(new Float32Array(7), 2));
    expect(width.code).toBe('bad-input');
    // The model still works after the refusals.
    expect((await model.predict([good]))[0]!.label).toMatch(/^(no|yes)$/);
    await model.dispose();
  });

  it('an onnx-mlp file that is not a model.onnx: code not-inference-model', async () => {
    const mnist = decodeModel(new Uint8Array(await readFile(MNIST_MODEL)));
    const checkpointLike = encodeModel({ ...mnist, metadata: new Map([...mnist.metadata, ['onnx_mlp.kind', 'checkpoint']]) });
    const e = await rejection(loadModel(checkpointLike, { runtime: ortNode as unknown as OrtModule }));
    expect(e).toMatchObject({
      code: 'not-inference-model',
      message: `the given Uint8Array (${checkpointLike.length} bytes) is an onnx-mlp checkpoint file, not an inference model (a run's model.onnx)`,
    });
  });

  it('WebGPU asked for where there is none: falls back to WASM with a notice', async () => {
    const notices: string[] = [];
    const model = await loadModel(await readFile(MNIST_MODEL), {
      runtime: ortWeb as unknown as OrtModule,
      backend: 'webgpu',
      onNotice: (m) => notices.push(m),
    });
    expect(model.backend).toBe('wasm');
    expect(notices).toEqual(['WebGPU was asked for but this environment has no WebGPU adapter; running on WASM (CPU) instead']);
    await model.dispose();
  });
});

describe('loadModel: the model card and the verification result', () => {
  let bytes: Uint8Array;
  let verified: { digest: string; card: boolean };

  beforeAll(async () => {
    await writeFile(join(dir, 'card.csv'), toCsv(syntheticRecords(200, 3)));
    const args = ['train', '--data', 'card.csv', '--label', 'species', '--exclude', 'id,note,approved,price', '--epochs', '1'];
    const run = await runCli([...args, '--hidden', '8', '--owner', 'Card team', '--out', 'card.onnx', '--quiet'], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr).toBe(0);
    bytes = new Uint8Array(await readFile(join(dir, 'card.onnx')));
    const verify = await runCli(['verify', 'card.onnx', '--json'], { cwd: dir });
    verified = JSON.parse(verify.stdout) as { digest: string; card: boolean };
  }, 180_000);

  it('exposes the card as `onnx-mlp card --json` gives it, and the digest `onnx-mlp verify` computes', async () => {
    const cli = JSON.parse((await runCli(['card', 'card.onnx', '--json'], { cwd: dir })).stdout) as Record<string, unknown>;
    for (const [, runtime] of RUNTIMES) {
      const model = await loadModel(bytes, { runtime });
      expect(model.card.card?.owner).toBe('Card team');
      expect(model.card.card?.data.files[0]).toMatchObject({ role: 'data', file: 'card.csv' });
      const { file: _file, verification: _v, ...view } = cli;
      expect(JSON.parse(JSON.stringify(model.card))).toEqual(view);
      expect(model.verification).toEqual({ status: 'ok', differs: [], digest: verified.digest, signedBy: null });
      await model.dispose();
    }
  });

  it('a changed card value: verification mismatch naming the metadata (the model still loads)', async () => {
    const decoded = decodeModel(bytes);
    const card = decoded.metadata.get('onnx_mlp.card')!.replace('"owner":"Card team"', '"owner":"Someone else"');
    const edited = encodeModel({ ...decoded, metadata: new Map([...decoded.metadata, ['onnx_mlp.card', card]]) });
    const model = await loadModel(edited, { runtime: ortNode as unknown as OrtModule });
    expect(model.card.card?.owner).toBe('Someone else');
    expect(model.verification.status).toBe('mismatch');
    expect(model.verification.differs).toEqual(['metadata']);
    expect(model.verification.digest).not.toBe(verified.digest);
    await model.dispose();
  });

  it('a model without a card or digest: card null, verification no-digest', async () => {
    const decoded = decodeModel(bytes);
    const metadata = new Map([...decoded.metadata].filter(([k]) => k !== 'onnx_mlp.card' && k !== 'onnx_mlp.integrity'));
    const model = await loadModel(encodeModel({ ...decoded, metadata }), { runtime: ortNode as unknown as OrtModule });
    expect(model.card.card).toBeNull();
    expect(model.card.training).toMatchObject({ epochs: 1 });
    expect(model.verification).toMatchObject({ status: 'no-digest', differs: [] });
    await model.dispose();
  });
});
