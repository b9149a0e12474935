import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUpNow } from '../packages/cli/src/io/exit-cleanup.js';
import { RunFolderGuard } from '../packages/cli/src/io/run-guard.js';
import { deadPid, runCli, startCli, waitFor } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Issue 11 item 4: no temp files left behind, no half-made run folder.
const MNIST_MODEL = join(import.meta.dirname, '..', 'models', 'mnist-mlp.onnx');

let dir: string;
let bigCsv: string;
beforeAll(async () => {
  dir = await makeTempDir();
  // 10,000 rows of 784 zeros: a few seconds of `predict --batch-size 1`, long enough to interrupt.
  const header = Array.from({ length: 784 }, (_, i) => `c${i}`).join(',');
  const row = Array(784).fill('0').join(',');
  bigCsv = join(dir, 'big.csv');
  await writeFile(bigCsv, `${header}\n${Array(10_000).fill(row).join('\n')}\n`);
});
afterAll(async () => {
  await removeDir(dir);
});

const tempsIn = async (folder: string) => (await readdir(folder)).filter((n) => n.includes('.tmp-'));

describe('SIGINT and SIGTERM', () => {
  it('SIGTERM after the first epoch: exit 143, one line, no temp file or lock, the folder kept for --resume', async () => {
    const runs = join(dir, 'term');
    const folder = join(runs, '1');
    const run = startCli(['train', '--epochs', '50', '--batch-size', '8', '--hidden', '32', '--quiet', '--runs-dir', runs], { cwd: dir });
    await waitFor(() => existsSync(join(folder, 'checkpoint.ckpt')));
    run.child.kill('SIGTERM');
    const ended = await run.done;
    expect(ended.code).toBe(143);
    expect(ended.stderr).toBe('onnx-mlp: interrupted (SIGTERM); temp files removed\n');
    expect(await tempsIn(folder)).toEqual([]);
    expect(existsSync(join(folder, 'train.lock'))).toBe(false);
    expect(await readdir(folder)).toContain('checkpoint.ckpt');
  }, 120_000);

  it('SIGINT before the first epoch completes: exit 130 and no half-made run folder', async () => {
    const runs = join(dir, 'int');
    // Batch size 1: the first epoch takes thousands of steps.
    const run = startCli(['train', '--epochs', '2', '--batch-size', '1', '--hidden', '32', '--quiet', '--runs-dir', runs], { cwd: dir });
    await waitFor(() => existsSync(join(runs, '1', 'config.json')));
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code).toBe(130);
    expect(ended.stderr).toBe('onnx-mlp: interrupted (SIGINT); temp files removed\n');
    expect(await readdir(runs)).toEqual([]);
  }, 120_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} in the middle of predict --out: no temp file, no output file`, async () => {
      const outDir = join(dir, `predict-${signal}`);
      await mkdir(outDir);
      const out = join(outDir, 'p.csv');
      const run = startCli(['predict', MNIST_MODEL, '--data', bigCsv, '--out', out, '--batch-size', '1'], { cwd: dir });
      await waitFor(async () => (await tempsIn(outDir)).length > 0);
      await new Promise((r) => setTimeout(r, 100));
      run.child.kill(signal);
      const ended = await run.done;
      expect(ended.code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(ended.stderr).toBe(`onnx-mlp: interrupted (${signal}); temp files removed\n`);
      expect(await readdir(outDir)).toEqual([]);
    }, 120_000);
  }
});

describe('stale temp files of ended processes', () => {
  it('predict --out removes those in its output folder, and leaves a live process`s alone', async () => {
    const outDir = join(dir, 'stale');
    await mkdir(outDir);
    const dead = `p.csv.tmp-${await deadPid()}-0123456789ab`;
    const live = `p.csv.tmp-${process.pid}-0123456789ab`;
    const other = 'notes.tmp-12-x';
    for (const name of [dead, live, other]) await writeFile(join(outDir, name), 'partial');
    const run = await runCli(['predict', MNIST_MODEL, '--data', bigCsv, '--out', join(outDir, 'p.csv')], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(outDir)).sort()).toEqual([other, 'p.csv', live].sort());
  }, 120_000);

  it('train --resume removes those in the run folder, with a notice', async () => {
    const runs = join(dir, 'stale-runs');
    const first = await runCli(['train', '--epochs', '1', '--hidden', '16', '--quiet', '--runs-dir', runs], {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(first.code, first.stderr).toBe(0);
    const folder = join(runs, '1');
    await writeFile(join(folder, `checkpoint.ckpt.tmp-${await deadPid()}-abcdefabcdef`), 'partial');
    const resumed = await runCli(['train', '--resume', folder, '--epochs', '2', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`notice: removed 1 temp file(s) of ended processes from ${folder}`);
    expect(await tempsIn(folder)).toEqual([]);
  }, 120_000);
});

describe('RunFolderGuard on SIGINT/SIGTERM (cleanUpNow)', () => {
  it('removes the folder it created while no epoch completed, keeps it once the checkpoint exists', async () => {
    const runs = join(dir, 'guarded');
    const early = new RunFolderGuard('checkpoint.ckpt');
    const first = await early.create(runs);
    expect(await readdir(first)).toEqual(['train.lock']);
    cleanUpNow();
    expect(existsSync(first)).toBe(false);

    const later = new RunFolderGuard('checkpoint.ckpt');
    const second = await later.create(runs);
    await writeFile(join(second, 'checkpoint.ckpt'), 'epoch 1');
    cleanUpNow();
    expect(await readdir(second)).toEqual(['checkpoint.ckpt']);
  });

  it('never removes a folder it only adopted (--resume), only its lock', async () => {
    const folder = join(dir, 'adopted');
    await mkdir(folder);
    const guard = new RunFolderGuard('checkpoint.ckpt');
    expect(await guard.adopt(folder)).toEqual([]);
    expect(await readdir(folder)).toEqual(['train.lock']);
    cleanUpNow();
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('--resume of a run that failed before its first epoch', () => {
  it('says that no epoch completed there', async () => {
    const folder = join(dir, 'unstarted', '1');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'config.json'), '{}\n');
    const run = await runCli(['train', '--resume', folder], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([
      1,
      `onnx-mlp: --resume ${folder}: no epoch completed in this run (no checkpoint.ckpt; it stopped before its first checkpoint): start a new run\n`,
    ]);
  });
});
