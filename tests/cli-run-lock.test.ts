import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@onnx-mlp/core';
import { deadPid, runCli, startCli, waitFor } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Issue 11 item 3: one writer per run folder. Small batches make an epoch long enough to overlap with.
const SLOW = ['--batch-size', '8', '--hidden', '32', '--quiet'];

let dir: string;
let folder: string;
beforeAll(async () => {
  dir = await makeTempDir();
  const first = await runCli(['train', '--epochs', '1', '--hidden', '32', '--quiet', '--runs-dir', join(dir, 'runs')], {
    cwd: dir,
    timeoutMs: 120_000,
  });
  expect(first.code, first.stderr).toBe(0);
  folder = join(dir, 'runs', '1');
}, 150_000);
afterAll(async () => {
  await removeDir(dir);
});

/** An --epochs beyond what the run folder has done, so --resume has something to do. */
const epochsAfter = async (f: string, more: number) => String(decodeCheckpoint(await readFile(join(f, 'checkpoint.ckpt'))).epoch + more);

const lockOf = (f: string) => join(f, 'train.lock');
const readLock = async (f: string) => JSON.parse(await readFile(lockOf(f), 'utf8')) as { pid: number; host: string };

describe('one writer per run folder', () => {
  it('a second --resume of a folder being trained exits 1 naming the holder; the lock goes when the first ends', async () => {
    const first = startCli(['train', '--resume', folder, '--epochs', '1000', '--quiet'], { cwd: dir });
    await waitFor(async () => existsSync(lockOf(folder)) && (await readLock(folder).catch(() => undefined))?.pid === first.child.pid);
    expect(await readLock(folder)).toEqual({ pid: first.child.pid, host: hostname() });

    const second = await runCli(['train', '--resume', folder, '--epochs', '1000'], { cwd: dir, timeoutMs: 120_000 });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `onnx-mlp: run folder ${folder} is in use by process ${first.child.pid} on ${hostname()} (lock file ${lockOf(folder)}; remove it if that process is gone)\n`,
    );
    expect(second.stdout).toBe('');

    first.child.kill('SIGTERM');
    const ended = await first.done;
    expect(ended.code).toBe(143);
    expect(existsSync(lockOf(folder))).toBe(false);
    expect((await readdir(folder)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }, 180_000);

  it('a new run locks its own folder with its pid and host while it trains', async () => {
    const run = startCli(['train', '--epochs', '30', ...SLOW, '--runs-dir', join(dir, 'fresh')], { cwd: dir });
    const mine = join(dir, 'fresh', '1');
    await waitFor(async () => (await readLock(mine).catch(() => undefined))?.pid === run.child.pid);
    expect((await readLock(mine)).host).toBe(hostname());
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(143);
    expect(existsSync(lockOf(mine))).toBe(false);
  }, 120_000);

  it('a stale lock of a dead process on this host is taken over with a notice, and released at the end', async () => {
    const pid = await deadPid();
    await writeFile(lockOf(folder), JSON.stringify({ pid, host: hostname() }));
    const run = await runCli(['train', '--resume', folder, '--epochs', await epochsAfter(folder, 1)], { cwd: dir, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`notice: took over the lock of ${folder} from process ${pid} on ${hostname()}, which has ended`);
    expect(existsSync(lockOf(folder))).toBe(false);
  }, 120_000);

  it('a lock held from another host (whose pids cannot be checked) is refused', async () => {
    await writeFile(lockOf(folder), JSON.stringify({ pid: 1, host: 'elsewhere.example' }));
    const run = await runCli(['train', '--resume', folder, '--epochs', await epochsAfter(folder, 1)], { cwd: dir, timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`is in use by process 1 on elsewhere.example`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readLock(folder)).toEqual({ pid: 1, host: 'elsewhere.example' });
  }, 120_000);
});
