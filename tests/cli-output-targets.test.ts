import { spawn } from 'node:child_process';
import { copyFile, link, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Issue 11 item 1: outputs never damage what they replace.
const MNIST_MODEL = join(import.meta.dirname, '..', 'models', 'mnist-mlp.onnx');
const CUSTOMERS = join(import.meta.dirname, '..', 'examples', 'customers.csv');

let dir: string;
let rows: string;
let model: string;
let expected: string;
beforeAll(async () => {
  dir = await makeTempDir();
  rows = join(dir, 'rows.csv');
  const header = Array.from({ length: 784 }, (_, i) => `c${i}`).join(',');
  await writeFile(rows, `${header}\n${Array.from({ length: 3 }, (_, r) => Array(784).fill(String(r)).join(',')).join('\n')}\n`);
  model = join(dir, 'model.onnx');
  await copyFile(MNIST_MODEL, model);
  const plain = await runCli(['predict', model, '--data', rows], { cwd: dir });
  expect(plain.code, plain.stderr).toBe(0);
  expected = plain.stdout;
});
afterAll(async () => {
  await removeDir(dir);
});

const predict = (out: string, ...more: string[]) => runCli(['predict', model, '--data', rows, '--out', out, ...more], { cwd: dir });

describe('predict --out onto things that are not regular files', () => {
  it('`--out -` and /dev/stdout stream the predictions to stdout', async () => {
    for (const out of ['-', '/dev/stdout']) {
      const run = await predict(out);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(expected);
    }
  });

  it('/dev/null is written through and stays the device', async () => {
    const run = await predict('/dev/null');
    expect(run.code, run.stderr).toBe(0);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('a FIFO is written through to its reader and stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    await new Promise((r) => spawn('mkfifo', [fifo]).on('exit', r));
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (b: Buffer) => {
      read += b.toString();
    });
    const readerDone = new Promise((r) => reader.on('exit', r));
    const run = await predict(fifo);
    expect(run.code, run.stderr).toBe(0);
    await readerDone;
    expect(read).toBe(expected);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('a folder and a socket are refused, one line, exit 1', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const socketPath = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(socketPath, r));
    try {
      const onFolder = await predict(folder, '--force');
      expect([onFolder.code, onFolder.stderr]).toEqual([1, `onnx-mlp: --out ${folder}: is a folder; give a file name\n`]);
      const onSocket = await predict(socketPath, '--force');
      expect(onSocket.code).toBe(1);
      expect(onSocket.stderr).toBe(`onnx-mlp: --out ${socketPath}: is not a regular file, device or pipe (a socket?); give a file name\n`);
      expect((await lstat(socketPath)).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('train --out and --report onto a device', () => {
  it('/dev/null takes both, and stays the device', async () => {
    const args = ['train', '--data', CUSTOMERS, '--label', 'churn', '--exclude', 'customer_id', '--epochs', '1', '--quiet'];
    const run = await runCli([...args, '--runs-dir', join(dir, 'runs-null'), '--out', '/dev/null', '--report', '/dev/null'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  }, 60_000);
});

describe('symlinks are followed, the link kept', () => {
  it('--force replaces the link`s target atomically; the link still points to it', async () => {
    const target = join(dir, 'target.csv');
    const linkPath = join(dir, 'link.csv');
    await writeFile(target, 'old');
    await symlink('target.csv', linkPath);
    const refused = await predict(linkPath);
    expect(refused.code).toBe(1);
    expect(await readFile(target, 'utf8')).toBe('old');
    const run = await predict(linkPath, '--force');
    expect(run.code, run.stderr).toBe(0);
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(linkPath)).toBe('target.csv');
    expect(await readFile(target, 'utf8')).toBe(expected);
  });

  it('a dangling link creates its target', async () => {
    const linkPath = join(dir, 'dangling.csv');
    await symlink('created.csv', linkPath);
    const run = await predict(linkPath);
    expect(run.code, run.stderr).toBe(0);
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'created.csv'), 'utf8')).toBe(expected);
  });

  it('train --out through a symlink replaces its target and keeps the link', async () => {
    const target = join(dir, 'model-target.onnx');
    const linkPath = join(dir, 'model-link.onnx');
    await writeFile(target, 'old');
    await symlink(target, linkPath);
    const args = ['train', '--data', CUSTOMERS, '--label', 'churn', '--exclude', 'customer_id', '--epochs', '1', '--quiet'];
    const run = await runCli([...args, '--runs-dir', join(dir, 'runs'), '--out', linkPath, '--force'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true);
    expect(await readFile(target)).toEqual(await readFile(join(dir, 'runs', '1', 'model.onnx')));
  }, 60_000);
});

describe('an output that is an input is refused, even with --force', () => {
  it('predict --out onto --data (by name, by a hard link, by a symlink) or onto the model', async () => {
    const hard = join(dir, 'hard.csv');
    await link(rows, hard);
    const soft = join(dir, 'soft.csv');
    await symlink(rows, soft);
    const before = await readFile(rows, 'utf8');
    for (const out of [rows, hard, soft]) {
      const run = await predict(out, '--force');
      expect([run.code, run.stderr]).toEqual([1, `onnx-mlp: --out ${out}: is the same file as the input ${rows}; give another name\n`]);
    }
    const onModel = await predict(model, '--force');
    expect(onModel.stderr).toBe(`onnx-mlp: --out ${model}: is the same file as the input ${model}; give another name\n`);
    expect(await readFile(rows, 'utf8')).toBe(before);
    expect(await readFile(model)).toEqual(await readFile(MNIST_MODEL));
  });

  it('train --out or --report onto --data, before any run folder', async () => {
    const data = join(dir, 'customers.csv');
    await copyFile(CUSTOMERS, data);
    const args = [
      'train',
      '--data',
      data,
      '--label',
      'churn',
      '--exclude',
      'customer_id',
      '--epochs',
      '1',
      '--runs-dir',
      join(dir, 'no-runs'),
    ];
    for (const option of ['--out', '--report']) {
      const run = await runCli([...args, option, data, '--force'], { cwd: dir });
      expect([run.code, run.stderr]).toEqual([
        1,
        `onnx-mlp: ${option} ${data}: is the same file as the input ${data}; give another name\n`,
      ]);
    }
    expect(await readFile(data)).toEqual(await readFile(CUSTOMERS));
    await expect(stat(join(dir, 'no-runs'))).rejects.toThrow();
  });

  it('train --resume --out onto the run`s --data file is refused too', async () => {
    const data = join(dir, 'resume-data.csv');
    await copyFile(CUSTOMERS, data);
    const runs = join(dir, 'resume-runs');
    const args = ['train', '--data', data, '--label', 'churn', '--exclude', 'customer_id', '--epochs', '1', '--quiet'];
    const first = await runCli([...args, '--runs-dir', runs], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const folder = join(runs, '1');
    const run = await runCli(['train', '--resume', folder, '--epochs', '2', '--out', data, '--force'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([1, `onnx-mlp: --out ${data}: is the same file as the input ${data}; give another name\n`]);
    expect(await readFile(data)).toEqual(await readFile(CUSTOMERS));
  }, 60_000);

  it('train --out - is refused: its progress goes to stdout', async () => {
    const run = await runCli(['train', '--epochs', '1', '--out', '-', '--runs-dir', join(dir, 'no-runs')], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([
      1,
      'onnx-mlp: --out -: cannot write to standard output here (progress goes there); give a file name\n',
    ]);
  });
});
