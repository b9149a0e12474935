import { pseudoRandomBytes } from './helpers/random-bytes.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeModel, encodeModel, type Model } from '@onnx-mlp/core';
import { DataType, GraphBuilder, makeModel, printGraph, sizeOf } from '@onnx-mlp/core/ir';
import { META } from '@onnx-mlp/core/internal';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** `inspect ... --json`: exit 0, nothing on stderr, one JSON object on stdout. */
async function inspectJson(file: string, cwd: string, extra: string[] = []): Promise<Record<string, any>> {
  const run = await runCli(['inspect', file, '--json', ...extra], { cwd });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

function expectOneErrorLine(run: CliResult, file: string, reason: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^onnx-mlp: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable ONNX model \\(`));
  expect(lines[0]).toMatch(reason);
}

function initializerElements(model: Model): number {
  return [...model.graph.initializers.values()].reduce((s, t) => s + sizeOf(t.dims), 0);
}

describe('onnx-mlp inspect models/mnist-mlp.onnx', () => {
  let dir: string;
  let model: Model;
  beforeAll(async () => {
    dir = await makeTempDir();
    model = decodeModel(await readFile(MNIST_MODEL));
  });
  afterAll(() => removeDir(dir));

  it('--json: layers 784→128→128→10, 118282 parameters (= the initializers), IO, IR 8, opset 17, classes, training facts', async () => {
    const r = await inspectJson(MNIST_MODEL, dir);
    expect(r.onnxMlp).toBe(true);
    expect(r.kind).toBe('inference');
    expect(r.task).toBe('multiclass');
    expect(r.layers).toEqual([
      { name: 'dense1', inputs: 784, outputs: 128, activation: 'relu', parameters: 784 * 128 + 128 },
      { name: 'dense2', inputs: 128, outputs: 128, activation: 'relu', parameters: 128 * 128 + 128 },
      { name: 'output', inputs: 128, outputs: 10, activation: 'softmax', parameters: 128 * 10 + 10 },
    ]);
    expect(r.parameters).toEqual({
      total: 118282,
      checkedAgainst: 'initializers',
      found: 118282,
      matches: true,
      otherInitializers: { count: 0, elements: 0 },
    });
    // The same count, computed independently from the decoded file.
    expect(initializerElements(model)).toBe(118282);
    expect(r.initializers).toEqual({ count: 6, elements: 118282, bytes: 118282 * 4 });
    expect(r.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 784] }]);
    expect(r.outputs).toEqual([
      { name: 'probabilities', dtype: 'float32', shape: ['batch', 10] },
      { name: 'label', dtype: 'int64', shape: ['batch'] },
    ]);
    expect(r.irVersion).toBe(8);
    expect(r.opsets).toEqual([{ domain: 'ai.onnx', version: 17 }]);
    expect(r.producer).toEqual({ name: 'onnx-mlp', version: model.producerVersion });
    expect(r.classNames).toEqual(DIGITS);
    expect(r.opTypes).toEqual({ Gemm: 3, Identity: 2, Relu: 2, ArgMax: 1, Softmax: 1 });
    expect(r.nodes).toEqual({ graph: 9, subgraphs: 0 });
    const stored = JSON.parse(model.metadata.get(META.training)!);
    expect(r.training).toEqual(stored);
    expect(r.training).toMatchObject({ epochs: 10, seed: 42, trainRows: 8000, testRows: 2000, batchSize: 128 });
    expect(r.training.testAccuracy).toBeGreaterThan(0.9);
    expect(r.warnings).toEqual([]);
    expect(r.listing).toBeUndefined();
  });

  it('text: an aligned listing with the same facts', async () => {
    const run = await runCli(['inspect', MNIST_MODEL], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out.split('\n')[1]).toBe('onnx-mlp inference model: multiclass MLP 784-128-128-10');
    expect(out).toMatch(/^ {2}dense1 {2}784 {2}128 {2}relu {12}100480$/m);
    expect(out).toMatch(/^ {2}dense2 {2}128 {2}128 {2}relu {13}16512$/m);
    expect(out).toMatch(/^ {2}output {2}128 {3}10 {2}softmax {11}1290$/m);
    expect(out).toMatch(/^ {2}total parameters 118282 {2}\(checked: the 6 parameter initializers hold 118282\)$/m);
    expect(out).toMatch(/^ {2}input {2}float32 {2}\[batch, 784\]$/m);
    expect(out).toMatch(/^ {2}probabilities {2}float32 {2}\[batch, 10\]$/m);
    expect(out).toMatch(/^ {2}label {10}int64 {4}\[batch\]$/m);
    expect(out).toMatch(/^ {2}ir version {2}8$/m);
    expect(out).toMatch(/^ {2}opsets {6}ai\.onnx 17$/m);
    expect(out).toMatch(/^ {2}classes {5}10: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9$/m);
    const accuracy = JSON.parse(model.metadata.get(META.training)!).testAccuracy as number;
    expect(out).toContain(`  testAccuracy  ${accuracy} (${(accuracy * 100).toFixed(2)}%)\n`);
    expect(out).toMatch(/^ {2}seed {10}42$/m);
    expect(out).toMatch(/^ {2}nodes {9}9: Gemm 3, Identity 2, Relu 2, ArgMax 1, Softmax 1$/m);
    expect(out).not.toContain('warnings');
  });

  it("--graph appends core's printGraph listing (text and JSON)", async () => {
    const listing = printGraph(model.graph);
    const run = await runCli(['inspect', MNIST_MODEL, '--graph'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `\nlisting (printGraph)\n${listing
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n`,
    );
    const r = await inspectJson(MNIST_MODEL, dir, ['--graph']);
    expect(r.listing).toBe(listing);
  });
});

describe("onnx-mlp inspect on a run folder's files (train --epochs 1 --hidden 16)", () => {
  let dir: string;
  let history: Array<Record<string, number>>;
  beforeAll(async () => {
    dir = await makeTempDir();
    const run = await runCli(['train', '--epochs', '1', '--hidden', '16', '--quiet'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    history = JSON.parse(await readFile(join(dir, 'runs', '1', 'history.json'), 'utf8'));
  });
  afterAll(() => removeDir(dir));

  const layers = [
    { name: 'dense1', inputs: 784, outputs: 16, activation: 'relu', parameters: 784 * 16 + 16 },
    { name: 'output', inputs: 16, outputs: 10, activation: 'softmax', parameters: 16 * 10 + 10 },
  ];
  const total = 784 * 16 + 16 + 16 * 10 + 10;

  it('checkpoint.ckpt: epoch 1, step 63, one history record equal to history.json, parameters and optimizer state', async () => {
    const file = join('runs', '1', 'checkpoint.ckpt');
    const r = await inspectJson(file, dir);
    const checkpoint = decodeCheckpoint(await readFile(join(dir, file)));
    expect(r.kind).toBe('checkpoint');
    expect(r.layers).toEqual(layers);
    expect(r.parameters).toMatchObject({ total, checkedAgainst: 'initializers', found: total, matches: true });
    expect(r.checkpoint).toMatchObject({ epoch: 1, step: Math.ceil(8000 / 128), historyLength: 1 });
    expect(r.checkpoint.lastEpoch).toEqual(history[0]);
    expect(r.checkpoint.extra).toMatchObject({ seed: 42, batchSize: 128 });
    expect(r.optimizer).toEqual(checkpoint.optimizer);
    expect(r.optimizerState).toEqual([...checkpoint.optimizerState.keys()]);
    expect(r.optimizerState).toHaveLength(8); // Adam's m and v of 4 parameters
    expect(r.classNames).toEqual(DIGITS);
    expect(r.initializers.elements).toBe(3 * total);
    expect(r.inputs).toEqual([]);
    expect(r.warnings).toEqual([]);

    const text = await runCli(['inspect', file], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[1]).toBe('onnx-mlp checkpoint: multiclass MLP 784-16-10');
    expect(text.stdout).toMatch(/^ {2}epoch {7}1$/m);
    expect(text.stdout).toMatch(/^ {2}step {8}63$/m);
    expect(text.stdout).toMatch(/^ {2}history {5}1 epoch$/m);
    expect(text.stdout).toContain(`  last epoch  epoch 1  loss ${history[0]!.loss!.toFixed(4)}  acc ${history[0]!.accuracy!.toFixed(4)}`);
    expect(text.stdout).toContain(`  total parameters ${total}  (checked: the 4 parameter initializers hold ${total})`);
  });

  it('training_model.onnx: the flat parameter layout, checked against the spec and the `parameters` input', async () => {
    const file = join('runs', '1', 'training_model.onnx');
    const r = await inspectJson(file, dir);
    const model = decodeModel(await readFile(join(dir, file)));
    expect(r.kind).toBe('training');
    expect(r.layers).toEqual(layers);
    expect(r.parameters).toMatchObject({ total, checkedAgainst: 'layout', found: total, matches: true });
    expect(r.parameterLayout).toEqual(JSON.parse(model.metadata.get(META.parameters)!));
    expect(r.parameterLayout.map((s: { name: string; offset: number }) => [s.name, s.offset])).toEqual([
      ['dense1.weight', 0],
      ['dense1.bias', 12544],
      ['output.weight', 12560],
      ['output.bias', 12720],
    ]);
    expect(r.optimizerState).toEqual(['m', 'v']);
    expect(r.inputs).toContainEqual({ name: 'parameters', dtype: 'float32', shape: [total] });
    expect(r.inputs).toContainEqual({ name: 'input', dtype: 'float32', shape: ['batch', 784] });
    expect(r.outputs).toContainEqual({ name: 'loss', dtype: 'float32', shape: [] });
    expect(r.nodes.graph).toBe(model.graph.nodes.length);
    expect(r.warnings).toEqual([]);

    const text = await runCli(['inspect', file], { cwd: dir });
    expect(text.stdout.split('\n')[1]).toBe('onnx-mlp training step model: multiclass MLP 784-16-10');
    expect(text.stdout).toMatch(/^ {2}dense1\.weight {2}\[784, 16\] {7}0 {2}12544$/m);
    expect(text.stdout).toMatch(/^ {2}parameters {9}float32 {2}\[12730\]$/m);
  });

  it('training_epoch_model.onnx and eval_model.onnx: their kinds, the Loop body counted, parameters checked', async () => {
    const epoch = await inspectJson(join('runs', '1', 'training_epoch_model.onnx'), dir);
    expect(epoch.kind).toBe('training_epoch');
    expect(epoch.opTypes.Loop).toBe(1);
    expect(epoch.nodes.subgraphs).toBeGreaterThan(epoch.nodes.graph);
    expect(epoch.parameters).toMatchObject({ total, found: total, matches: true });
    const evalModel = await inspectJson(join('runs', '1', 'eval_model.onnx'), dir);
    expect(evalModel.kind).toBe('eval');
    expect(evalModel.optimizer).toBeUndefined();
    expect(evalModel.optimizerState).toBeUndefined();
    expect(evalModel.parameters).toMatchObject({ total, found: total, matches: true });
    expect(evalModel.outputs.map((o: { name: string }) => o.name)).toEqual(['loss', 'logits']);
  });
});

describe('onnx-mlp inspect on other files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    const b = new GraphBuilder('relu_only');
    const x = b.input('x', DataType.FLOAT, ['n', 3]);
    b.output(b.op('Relu', [x]), 'y');
    const model = makeModel(b.build('one Relu'), { metadata: { author: 'a test' } });
    await writeFile(join(dir, 'relu.onnx'), encodeModel({ ...model, producerName: 'handmade', producerVersion: '2.0' }));
    // float16 is a type onnx-mlp never computes with; inspect must still show the file.
    const h = new GraphBuilder('half');
    const hx = h.input('x', 10 as DataType, ['n', 2]);
    h.output(h.op('Relu', [hx]), 'y');
    await writeFile(join(dir, 'half.onnx'), encodeModel(makeModel(h.build())));
    await writeFile(join(dir, 'random.onnx'), pseudoRandomBytes(4096, 1));
    await writeFile(join(dir, 'truncated.onnx'), (await readFile(MNIST_MODEL)).subarray(0, 200_000));
  });
  afterAll(() => removeDir(dir));

  it('a foreign ONNX model (one Relu): its IO, opsets and ops, and that it is not an onnx-mlp model; exit 0', async () => {
    const r = await inspectJson('relu.onnx', dir);
    const decoded = decodeModel(await readFile(join(dir, 'relu.onnx')));
    expect(r.onnxMlp).toBe(false);
    expect(r.kind).toBeNull();
    expect(r.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: ['n', 3] }]);
    expect(r.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: ['n', 3] }]);
    expect(r.opTypes.Relu).toBe(1);
    expect(Object.values(r.opTypes).reduce((a: number, b) => a + (b as number), 0)).toBe(decoded.graph.nodes.length);
    expect(r.irVersion).toBe(8);
    expect(r.opsets).toEqual([{ domain: 'ai.onnx', version: 17 }]);
    expect(r.producer).toEqual({ name: 'handmade', version: '2.0' });
    expect(r.metadata).toEqual({ author: 'a test' });
    expect(r.initializers).toEqual({ count: 0, elements: 0, bytes: 0 });
    expect(r.layers).toBeUndefined();
    expect(r.parameters).toBeUndefined();

    const text = await runCli(['inspect', 'relu.onnx'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout.split('\n')[1]).toBe('not an onnx-mlp model (it has no onnx_mlp.kind metadata); showing what the ONNX file records');
    expect(text.stdout).toMatch(/^ {2}x {2}float32 {2}\[n, 3\]$/m);
    expect(text.stdout).toMatch(/^ {2}producer {9}handmade 2\.0$/m);
    expect(text.stdout).not.toContain('layers');
  });

  it('a float16 model: shown (type 10), not refused', async () => {
    const r = await inspectJson('half.onnx', dir);
    expect(r.onnxMlp).toBe(false);
    expect(r.inputs).toEqual([{ name: 'x', dtype: 'type 10', shape: ['n', 2] }]);
    expect(r.opTypes.Relu).toBe(1);
  });

  it('random bytes: exit 1, one stderr line naming the file', async () => {
    expectOneErrorLine(await runCli(['inspect', 'random.onnx'], { cwd: dir }), 'random.onnx', /protobuf decoding failed/);
  });

  it('a missing file: exit 1, one stderr line naming the file', async () => {
    expectOneErrorLine(await runCli(['inspect', 'missing.onnx'], { cwd: dir }), 'missing.onnx', /\(no such file\)$/);
  });

  it('the first 200,000 bytes of mnist-mlp.onnx (cut inside a weight tensor): exit 1, one line', async () => {
    expectOneErrorLine(await runCli(['inspect', 'truncated.onnx'], { cwd: dir }), 'truncated.onnx', /index out of range/);
  });

  it('a folder: exit 1, one line; no file argument: exit 2', async () => {
    expectOneErrorLine(await runCli(['inspect', '.'], { cwd: dir }), '.', /it is a folder/);
    const usage = await runCli(['inspect'], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
  });
});
