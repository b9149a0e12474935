import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeModel } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { accuracyOf, probabilitiesOf } from './helpers/classifier-output.js';
import { mnistTestSplit } from './helpers/mnist-test-split.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { withoutRunTimes } from './helpers/model-identity.js';

const RUN_FILES = [
  'checkpoint.ckpt',
  'config.json',
  'eval_model.onnx',
  'history.json',
  'model.onnx',
  'training_epoch_model.onnx',
  'training_model.onnx',
];
const EPOCH_LINE = /^epoch 1\/1 {2}loss (\d+\.\d{4}) {2}acc (\d\.\d{4}) {2}val_loss (\d+\.\d{4}) {2}val_acc (\d\.\d{4}) {2}\d+\.\d{2}s$/;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** The printed `test accuracy: 91.25% (2000 digits)` as a fraction, with the digit count. */
function printedAccuracy(stdout: string): { accuracy: number; rows: number } {
  const m = /^test accuracy: (\d+\.\d{2})% \((\d+) digits\)$/m.exec(stdout);
  if (!m) throw new Error(`no test accuracy line in:\n${stdout}`);
  return { accuracy: Number(m[1]) / 100, rows: Number(m[2]) };
}

/** Epoch lines without their timing, which is the only part allowed to differ between runs. */
function lossLines(stdout: string): string[] {
  return lines(stdout)
    .filter((l) => l.startsWith('epoch '))
    .map((l) => l.replace(/\s+\d+\.\d{2}s$/, ''));
}

async function folderBytes(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as [string, Buffer])));
}

describe('onnx-mlp train (built CLI, 1 epoch)', () => {
  let dir: string;
  let first: CliResult;
  let firstFiles: Map<string, Buffer>;
  let second: CliResult;
  let secondFiles: Map<string, Buffer>;

  beforeAll(async () => {
    dir = await makeTempDir();
    first = await runCli(['train', '--epochs', '1'], { cwd: dir });
    firstFiles = await folderBytes(join(dir, 'runs', '1'));
    second = await runCli(['train', '--epochs', '1'], { cwd: dir });
    secondFiles = await folderBytes(join(dir, 'runs', '2'));
  });
  afterAll(() => removeDir(dir));

  it('exits 0 and prints an epoch line, the test accuracy (> 0.85) and the run folder', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = lines(first.stdout);
    expect(out).toHaveLength(3);
    const epoch = EPOCH_LINE.exec(out[0]!);
    expect(epoch, out[0]).not.toBeNull();
    const [, loss, acc, valLoss, valAcc] = epoch!.map(Number);
    expect(loss).toBeGreaterThan(0.1);
    expect(loss).toBeLessThan(1.5);
    expect(acc).toBeGreaterThan(0.6);
    expect(valLoss).toBeLessThan(loss!);
    const printed = printedAccuracy(first.stdout);
    expect(printed.rows).toBe(2000);
    expect(printed.accuracy).toBeGreaterThan(0.85);
    // val_acc is the eval graph on the same 2,000 digits; the model file must agree with it.
    expect(printed.accuracy).toBeCloseTo(valAcc!, 4);
    expect(out[2]).toBe(`run folder: ${join('runs', '1')}`);
  });

  it('writes exactly the seven run files, and their contents describe this run', async () => {
    expect([...firstFiles.keys()]).toEqual(RUN_FILES);
    const history = JSON.parse(firstFiles.get('history.json')!.toString());
    expect(history).toHaveLength(1);
    expect(history[0].epoch).toBe(1);
    expect(history[0].loss.toFixed(4)).toBe(EPOCH_LINE.exec(lines(first.stdout)[0]!)![1]);
    const config = JSON.parse(firstFiles.get('config.json')!.toString());
    expect(config).toMatchObject({ epochs: 1, batchSize: 128, seed: 42, threads: 2, out: null });
    expect(config.spec).toMatchObject({ inputs: 784, hidden: [128, 128], outputs: 10, activation: 'relu' });
    expect(config.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.001, epsilon: 1e-7 });
    const checkpoint = decodeCheckpoint(firstFiles.get('checkpoint.ckpt')!);
    expect(checkpoint.epoch).toBe(1);
    expect(checkpoint.step).toBe(Math.ceil(8000 / 128));
    expect(checkpoint.history[0]!.loss).toBe(history[0].loss);
    expect(decodeModel(firstFiles.get('training_model.onnx')!).metadata.get(META.kind)).toBe('training');
    expect(decodeModel(firstFiles.get('eval_model.onnx')!).metadata.get(META.kind)).toBe('eval');
  });

  it('model.onnx scores on the test split, recomputed with onnxruntime-node, exactly what was printed', async () => {
    const bytes = firstFiles.get('model.onnx')!;
    const test = await mnistTestSplit(42);
    const accuracy = accuracyOf(await probabilitiesOf(ort, bytes, test), test.targets, 10);
    const printed = printedAccuracy(first.stdout);
    expect((accuracy * 100).toFixed(2)).toBe((printed.accuracy * 100).toFixed(2));
    const meta = decodeModel(bytes).metadata;
    expect(JSON.parse(meta.get(META.classNames)!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const training = JSON.parse(meta.get(META.training)!);
    expect(training).toMatchObject({ epochs: 1, seed: 42, trainRows: 8000, testRows: 2000 });
    expect(training.testAccuracy).toBe(accuracy);
    expect(training.data).toContain('mnist');
  });

  it('a second run gets folder 2 and leaves folder 1 byte for byte as it was', async () => {
    expect(second.code).toBe(0);
    expect(lines(second.stdout).at(-1)).toBe(`run folder: ${join('runs', '2')}`);
    expect([...secondFiles.keys()]).toEqual(RUN_FILES);
    const now = await folderBytes(join(dir, 'runs', '1'));
    expect([...now.keys()]).toEqual(RUN_FILES);
    for (const [name, bytes] of firstFiles) expect(now.get(name)!.equals(bytes), name).toBe(true);
    expect(await readdir(join(dir, 'runs'))).toEqual(['1', '2']);
  });

  it('the same seed twice prints identical loss lines and writes an identical model', async () => {
    expect(lossLines(first.stdout)).toHaveLength(1);
    expect(lossLines(second.stdout)).toEqual(lossLines(first.stdout));
    // Identical but for the model card's clock facts (creation time, training time).
    const [a, b] = await Promise.all([firstFiles, secondFiles].map((files) => withoutRunTimes(files.get('model.onnx')!)));
    expect(b!.equals(a!)).toBe(true);
    expect(printedAccuracy(second.stdout)).toEqual(printedAccuracy(first.stdout));
  });

  it("--seed 7 --out FILE --force trains differently and replaces FILE with the run's model.onnx", async () => {
    const target = join(dir, 'copy.onnx');
    await writeFile(target, 'old contents');
    const run = await runCli(['train', '--epochs', '1', '--seed', '7', '--out', 'copy.onnx', '--force', '--quiet'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lossLines(run.stdout)).toEqual([]); // --quiet drops the epoch lines only
    expect(lines(run.stdout).at(-1)).toBe(`run folder: ${join('runs', '3')}`);
    const model = await readFile(join(dir, 'runs', '3', 'model.onnx'));
    expect((await readFile(target)).equals(model)).toBe(true);
    const history = JSON.parse(await readFile(join(dir, 'runs', '3', 'history.json'), 'utf8'));
    expect(history[0].loss.toFixed(4)).not.toBe(EPOCH_LINE.exec(lines(first.stdout)[0]!)![1]);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('onnx-mlp train rejects bad input before writing anything', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it.each([
    { args: ['--hidden', '0,5'], code: 1, names: ['--hidden', '0,5'] },
    { args: ['--activation', 'foo'], code: 1, names: ['--activation', 'foo'] },
    { args: ['--lr', '-1'], code: 1, names: ['--lr', '-1'] },
    { args: ['--epochs', '0'], code: 1, names: ['--epochs', '0'] },
    { args: ['--bogus'], code: 2, names: ['bogus'] },
    { args: ['--epochs', 'ten'], code: 2, names: ['--epochs'] },
  ])('train $args exits $code with one stderr line naming it', async ({ args, code, names }) => {
    const cwd = await makeTempDir();
    try {
      const run = await runCli(['train', ...args], { cwd });
      expect(run.code).toBe(code);
      expect(run.stdout).toBe('');
      const err = lines(run.stderr);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^onnx-mlp: /);
      for (const name of names) expect(err[0]).toContain(name);
      expect(await readdir(cwd)).toEqual([]); // not even runs/
    } finally {
      await removeDir(cwd);
    }
  });

  it('--out onto an existing file without --force exits 1 and leaves the file and runs/ alone', async () => {
    const target = join(dir, 'keep.onnx');
    await writeFile(target, 'precious bytes');
    const run = await runCli(['train', '--epochs', '1', '--out', 'keep.onnx'], { cwd: dir });
    expect(run.code).toBe(1);
    const err = lines(run.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^onnx-mlp: --out keep\.onnx: .*--force/);
    expect(await readFile(target, 'utf8')).toBe('precious bytes');
    expect(existsSync(join(dir, 'runs'))).toBe(false);
    expect(await readdir(dir)).toEqual(['keep.onnx']);
  });
});

describe('onnx-mlp train, two processes at once', () => {
  it('two concurrent runs in one runs-dir get folders 1 and 2, each complete', async () => {
    const dir = await makeTempDir();
    try {
      const args = ['train', '--epochs', '1', '--hidden', '16', '--runs-dir', 'shared'];
      const runs = await Promise.all([runCli(args, { cwd: dir }), runCli(args, { cwd: dir })]);
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const folders = runs.map((r) => lines(r.stdout).at(-1)).sort();
      expect(folders).toEqual([`run folder: ${join('shared', '1')}`, `run folder: ${join('shared', '2')}`]);
      for (const n of ['1', '2']) expect((await readdir(join(dir, 'shared', n))).sort()).toEqual(RUN_FILES);
    } finally {
      await removeDir(dir);
    }
  });
});

describe('onnx-mlp help and usage', () => {
  it('train --help exits 0 and shows every option with its default', async () => {
    const run = await runCli(['train', '--help'], { cwd: process.cwd() });
    expect(run.code).toBe(0);
    const defaults: Record<string, string> = {
      '--epochs': '10',
      '--batch-size': '128',
      '--lr': '0.001 (adam, adamw), 0.01 (sgd)',
      '--optimizer': '"adam"',
      '--momentum': '0',
      '--hidden': '"128,128"',
      '--activation': '"relu"',
      '--dropout': '0',
      '--init': '"glorot_uniform"',
      '--seed': '42',
      '--runs-dir': '"runs"',
      '--force': 'false',
      '--quiet': 'false',
      '--threads': '2',
      '--verbose': 'false',
    };
    const text = run.stdout.replace(/\n\s+(?=\[)/g, ' '); // yargs may wrap the [default: ...] part
    for (const [option, value] of Object.entries(defaults)) {
      expect(text, option).toMatch(new RegExp(`${option} .*\\[default: ${value.replace(/[()".]/g, '\\$&')}\\]`));
    }
    expect(run.stdout).toContain('--out');
    expect(run.stdout).toMatch(/held.out test split/);
    expect(run.stdout).toContain('Examples:');
  });

  it('no command exits 2 with one stderr line', async () => {
    const run = await runCli([], { cwd: process.cwd() });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^onnx-mlp: .*train/);
  });
});
