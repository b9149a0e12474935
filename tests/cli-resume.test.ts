import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@onnx-mlp/core';
import { runCli } from './helpers/run-cli.js';
import { expectSameParameters, killMidEpoch } from './helpers/kill-mid-run.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { withoutRunTimes } from './helpers/model-identity.js';

// Small batches make an epoch long enough (about 500 steps) to be killed in the middle of; dropout
// makes the resumed run depend on replaying the host's noise stream from the checkpoint.
const ARGS = ['train', '--epochs', '4', '--batch-size', '16', '--dropout', '0.2', '--hidden', '64', '--quiet'];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

describe('kill -9 in the middle of an epoch, then --resume', () => {
  it('ends with the same weights, bit for bit, as an uninterrupted run', async () => {
    const whole = await runCli([...ARGS, '--runs-dir', join(dir, 'whole')], { cwd: dir, timeoutMs: 120_000 });
    expect(whole.code, whole.stderr).toBe(0);

    const folder = join(dir, 'killed', '1');
    // Into the next epoch, well before its end (an epoch takes several hundred milliseconds).
    const { signal, epochs: done } = await killMidEpoch([...ARGS, '--runs-dir', join(dir, 'killed')], { cwd: dir, folder, afterMs: 60 });
    expect(signal).toBe('SIGKILL');
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(4);
    const killedAt = decodeCheckpoint(await readFile(join(folder, 'checkpoint.ckpt')));
    expect(killedAt.epoch).toBe(done);

    const resumed = await runCli(['train', '--resume', folder], { cwd: dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resuming ${folder} after epoch ${done} of 4`);

    const a = decodeCheckpoint(await readFile(join(dir, 'whole', '1', 'checkpoint.ckpt')));
    const b = decodeCheckpoint(await readFile(join(folder, 'checkpoint.ckpt')));
    expect(b.epoch).toBe(4);
    expect(b.step).toBe(a.step);
    expectSameParameters(b, a);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    // The same model file, but for the model card's clock facts (creation time, training time).
    expect(await withoutRunTimes(await readFile(join(folder, 'model.onnx')))).toEqual(
      await withoutRunTimes(await readFile(join(dir, 'whole', '1', 'model.onnx'))),
    );
  }, 180_000);

  it("refuses to change the run's settings or to resume a finished run, writing nothing", async () => {
    const folder = join(dir, 'whole', '1');
    const before = await readFile(join(folder, 'checkpoint.ckpt'));
    const clash = await runCli(['train', '--resume', folder, '--hidden', '32'], { cwd: dir });
    expect(clash.code).toBe(1);
    expect(clash.stderr.trim()).toMatch(/^onnx-mlp: --hidden 32: cannot change when resuming/);
    const finished = await runCli(['train', '--resume', folder], { cwd: dir });
    expect(finished.code).toBe(1);
    expect(finished.stderr.trim()).toMatch(/already completed 4 of 4 epochs/);
    const missing = await runCli(['train', '--resume', join(dir, 'nope')], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/no checkpoint\.ckpt there/);
    expect(await readFile(join(folder, 'checkpoint.ckpt'))).toEqual(before);
  });

  it('--epochs raises the total of a finished run and continues it', async () => {
    const more = await runCli(['train', '--resume', join(dir, 'whole', '1'), '--epochs', '5'], { cwd: dir, timeoutMs: 120_000 });
    expect(more.code, more.stderr).toBe(0);
    const c = decodeCheckpoint(await readFile(join(dir, 'whole', '1', 'checkpoint.ckpt')));
    expect(c.epoch).toBe(5);
    expect(c.history).toHaveLength(5);
  }, 120_000);
});
