// trainInThisThread on onnxruntime-node and onnxruntime-web (WASM in Node) against `onnx-mlp train`
// with the README quick-start options on examples/customers.csv: same split, statistics, initial
// weights; the parameters' drift between WASM and native kernels measured after one step and a run.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIntegrity, decodeModel, type MlpSpec } from '@onnx-mlp/core';
import { readModelCard } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { parameterShapes } from '@onnx-mlp/core/model';
import { trainInThisThread, type OrtModule, type TrainResult } from '../src/index.js';
import { runCli } from '../../../tests/helpers/run-cli.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/temp-dir.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const node = ortNode as unknown as OrtModule;
const web = ortWeb as unknown as OrtModule;
/** The README quick-start: --label churn --exclude customer_id --epochs 30 --early-stopping 5 (seed 42 by default). */
const QUICK_START = { label: 'churn', exclude: ['customer_id'], epochs: 30, earlyStopping: 5 };

let dir: string;
let csv: string;
let cli: { metadata: ReadonlyMap<string, string>; model: Uint8Array; history: Record<string, number>[] };
const results: Partial<Record<'node' | 'web', TrainResult>> = {};

beforeAll(async () => {
  dir = await makeTempDir('onnx-mlp-web-train-');
  csv = await readFile(join(EXAMPLES, 'customers.csv'), 'utf8');
  // Run where the file is, so the CLI names it `customers.csv` as the File below is named.
  const run = await runCli(
    [
      'train',
      '--data',
      'customers.csv',
      '--label',
      'churn',
      '--exclude',
      'customer_id',
      '--epochs',
      '30',
      '--early-stopping',
      '5',
      '--runs-dir',
      join(dir, 'runs'),
      '--quiet',
    ],
    { cwd: EXAMPLES, timeoutMs: 300_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const model = new Uint8Array(await readFile(join(dir, 'runs', '1', 'model.onnx')));
  cli = {
    metadata: decodeModel(model).metadata,
    model,
    history: JSON.parse(await readFile(join(dir, 'runs', '1', 'history.json'), 'utf8')) as Record<string, number>[],
  };
});

afterAll(() => removeDir(dir));

function parameters(model: Uint8Array): Map<string, Float32Array> {
  const m = decodeModel(model);
  const spec = JSON.parse(m.metadata.get(META.spec)!) as MlpSpec;
  return new Map(parameterShapes(spec).map(([name]) => [name, m.graph.initializers.get(name)!.data as Float32Array]));
}

function maxParameterDiff(a: Uint8Array, b: Uint8Array): number {
  const pa = parameters(a);
  const pb = parameters(b);
  expect([...pb.keys()]).toEqual([...pa.keys()]);
  let m = 0;
  for (const [name, x] of pa) {
    const y = pb.get(name)!;
    expect(y.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  }
  return m;
}

function trainingFacts(metadata: ReadonlyMap<string, string>): Record<string, unknown> {
  return JSON.parse(metadata.get(META.training)!) as Record<string, unknown>;
}

describe('trainInThisThread: the README quick-start on examples/customers.csv, as `onnx-mlp train` runs it', () => {
  it('onnxruntime-node: the same split, statistics, metadata and bit-identical weights as the CLI', async () => {
    const begins: unknown[] = [];
    const epochs: number[] = [];
    const result = (results.node = await trainInThisThread({
      ...QUICK_START,
      data: new File([csv], 'customers.csv'),
      runtime: node,
      card: { owner: 'Web team', license: 'MIT' },
      onTrainBegin: (e) => begins.push(e),
      onEpochEnd: (e) => epochs.push(e.epoch),
    }));
    const ours = decodeModel(result.model).metadata;
    for (const key of [META.kind, META.spec, META.classNames, META.preprocessing]) expect(ours.get(key)).toBe(cli.metadata.get(key));
    // Both sealed: the weights part of the digest is the same (bit-identical weights); the metadata part differs by the producer.
    const [webCheck, cliCheck] = await Promise.all([checkIntegrity(decodeModel(result.model)), checkIntegrity(decodeModel(cli.model))]);
    expect([webCheck.status, cliCheck.status]).toEqual(['ok', 'ok']);
    expect(webCheck.computed.weights).toBe(cliCheck.computed.weights);
    expect(webCheck.computed.graph).toBe(cliCheck.computed.graph);
    const { producer, ...facts } = trainingFacts(ours);
    const { producer: cliProducer, ...cliFacts } = trainingFacts(cli.metadata);
    expect([producer, cliProducer]).toEqual(['@onnx-mlp/web 0.1.0', expect.stringMatching(/^onnx-mlp /)]);
    expect(facts).toEqual(cliFacts);
    expect(facts).toMatchObject({ trainRows: 560, valRows: 80, testRows: 160, split: 'stratified, seed 42' });
    expect(begins).toEqual([{ rows: { train: 560, val: 80, test: 160 }, columns: expect.any(Array), classes: ['no', 'yes'] }]);
    // Same initial weights, same shuffles, same kernels: the same numbers, bit for bit.
    expect(maxParameterDiff(result.model, cli.model)).toBe(0);
    expect(result.history.map(({ seconds: _, ...r }) => r)).toEqual(cli.history.map(({ seconds: _, ...r }) => r));
    expect(epochs).toEqual(result.history.map((r) => r.epoch));
    expect(result.testMetrics.accuracy).toBe(facts.testAccuracy);
  });

  it('writes the model card the CLI writes: the same file hash, class counts and metrics, its own statements and device', async () => {
    const ours = readModelCard(decodeModel(results.node!.model))!;
    const theirs = readModelCard(decodeModel(cli.model))!;
    expect(ours.data.files).toEqual([
      { role: 'data', file: 'customers.csv', bytes: csv.length, sha256: createHash('sha256').update(csv).digest('hex') },
    ]);
    expect(ours.data.files).toEqual(theirs.data.files);
    expect(ours.data.classCounts).toEqual(theirs.data.classCounts);
    expect(ours.metrics).toEqual(theirs.metrics);
    expect((ours.metrics.test as { accuracy: number }).accuracy).toBe(results.node!.testMetrics.accuracy);
    expect(ours.history).toEqual(theirs.history);
    expect(ours).toMatchObject({ owner: 'Web team', license: 'MIT', toolkit: '@onnx-mlp/web 0.1.0', device: 'cpu', seed: 42 });
    expect(ours.data.excluded).toEqual([{ column: 'customer_id', reason: expect.any(String) }]);
  });

  it("onnxruntime-web (WASM): the same split and statistics; weights within float rounding; test accuracy within 1 point of the CLI's", async () => {
    const result = (results.web = await trainInThisThread({ ...QUICK_START, data: csv, runtime: web }));
    const ours = decodeModel(result.model).metadata;
    for (const key of [META.spec, META.classNames, META.preprocessing]) expect(ours.get(key)).toBe(cli.metadata.get(key));
    const facts = trainingFacts(ours);
    const cliFacts = trainingFacts(cli.metadata);
    expect(facts).toMatchObject({ trainRows: 560, valRows: 80, testRows: 160, features: cliFacts.features });
    // The same first epoch to float rounding (same initial weights and shuffle).
    expect(Math.abs(result.history[0]!.loss - cli.history[0]!.loss!)).toBeLessThan(1e-5);
    expect(Math.abs(result.testMetrics.accuracy! - (cliFacts.testAccuracy as number))).toBeLessThanOrEqual(0.01);
    const runDiff = maxParameterDiff(result.model, results.node!.model);
    const lossDiff = Math.max(...result.history.map((r, i) => Math.abs(r.loss - cli.history[i]!.loss!)));
    console.log(
      `web-WASM vs node, whole quick-start run (${result.history.length} epochs): max |Δparameter| = ${runDiff.toExponential(2)}, ` +
        `max |Δepoch loss| = ${lossDiff.toExponential(2)}, test accuracy ${result.testMetrics.accuracy} (CLI ${String(cliFacts.testAccuracy)})`,
    );
    expect(runDiff).toBeLessThan(1e-3);
  });

  it('after one optimizer step (one full batch) web-WASM and node parameters differ by float rounding only', async () => {
    const oneStep = { ...QUICK_START, epochs: 1, earlyStopping: undefined, batchSize: 4096, data: csv };
    const [a, b] = [await trainInThisThread({ ...oneStep, runtime: node }), await trainInThisThread({ ...oneStep, runtime: web })];
    const diff = maxParameterDiff(a.model, b.model);
    console.log(`web-WASM vs node, one step: max |Δparameter| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-6);
  });
});
