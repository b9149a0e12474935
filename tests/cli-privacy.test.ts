import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeModel } from '@onnx-mlp/core';
import { privacySpent } from '@onnx-mlp/core/privacy';
import { runCli } from './helpers/run-cli.js';
import { expectSameParameters, killMidEpoch } from './helpers/kill-mid-run.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { withoutRunTimes } from './helpers/model-identity.js';

const CUSTOMERS = join(import.meta.dirname, '..', 'examples', 'customers.csv');
const TABULAR = ['train', '--data', CUSTOMERS, '--label', 'churn', '--exclude', 'customer_id', '--hidden', '16', '--batch-size', '32'];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

type Json = Record<string, unknown>;
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Json);

describe('train --dp', () => {
  it('prints ε each epoch, stops on the budget before exceeding it, and records the guarantee in model.onnx', async () => {
    const runs = join(dir, 'budget');
    const run = await runCli(
      [...TABULAR, '--epochs', '20', '--dp', '--dp-noise', '0.8', '--dp-epsilon', '4', '--json', '--runs-dir', runs],
      {
        cwd: dir,
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const all = events(run.stdout);
    const start = all.find((e) => e.event === 'start')!;
    const notices = start.notices as string[];
    expect(notices.some((n) => /^--dp-epsilon 4: training stops after epoch \d+ of 20/.test(n))).toBe(true);
    expect(notices.some((n) => /preprocessing statistics .* not covered by ε/.test(n))).toBe(true);
    const epochs = all.filter((e) => e.event === 'epoch');
    const eps = epochs.map((e) => e.epsilon as number);
    expect(epochs.length).toBeGreaterThan(0);
    expect(epochs.length).toBeLessThan(20);
    for (let i = 1; i < eps.length; i++) expect(eps[i]!).toBeGreaterThan(eps[i - 1]!);
    expect(eps.at(-1)!).toBeLessThanOrEqual(4);
    // Train rows: the file's 800 less the 20 % test and 10 % validation splits.
    const trainRows = start.trainRows as number;
    const q = 32 / trainRows;
    const stepsPerEpoch = Math.ceil(trainRows / 32);
    const next = privacySpent({ q, sigma: 0.8, steps: (epochs.length + 1) * stepsPerEpoch }, 1 / trainRows);
    expect(next).toBeGreaterThan(4); // one more epoch would have exceeded the budget
    const end = all.find((e) => e.event === 'end')!;
    const meta = decodeModel(await readFile(join(runs, '1', 'model.onnx'))).metadata;
    const privacy = JSON.parse(meta.get('onnx_mlp.privacy')!) as Json;
    expect(privacy).toMatchObject({
      delta: 1 / trainRows,
      deltaFrom: '1/rows',
      clipNorm: 1,
      noiseMultiplier: 0.8,
      samplingRate: q,
      epsilonBudget: 4,
    });
    expect(privacy.steps).toBe(epochs.length * stepsPerEpoch);
    expect(privacy.epsilon).toBeCloseTo(eps.at(-1)!, 10);
    expect(privacy.accountant).toMatch(/^rdp/);
    expect((end.privacy as Json).epsilon).toBe(privacy.epsilon);
  }, 150_000);

  it('solves σ for --dp-epsilon over all epochs: the run spends at most ε and close to it', async () => {
    const runs = join(dir, 'solved');
    const run = await runCli(
      [...TABULAR, '--epochs', '3', '--dp', '--dp-epsilon', '2', '--dp-delta', '1e-4', '--json', '--runs-dir', runs],
      {
        cwd: dir,
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const epochs = events(run.stdout).filter((e) => e.event === 'epoch');
    expect(epochs).toHaveLength(3);
    const last = epochs.at(-1)!.epsilon as number;
    expect(last).toBeLessThanOrEqual(2);
    expect(last).toBeGreaterThan(1.98);
    const config = JSON.parse(await readFile(join(runs, '1', 'config.json'), 'utf8')) as Json;
    expect(config.privacy).toMatchObject({ clipNorm: 1, epsilon: 2, delta: 1e-4 });
  }, 150_000);

  it.each([
    [['--dp', '--dp-clip', '0'], /^onnx-mlp: --dp-clip 0: must be a positive number$/],
    [['--dp', '--dp-noise', '-1'], /^onnx-mlp: --dp-noise -1: must be a number >= 0$/],
    [
      ['--dp', '--dp-noise', '0.3', '--dp-epsilon', '0.5'],
      /^onnx-mlp: --dp-epsilon 0.5: cannot be reached: one epoch with --dp-noise 0.3 already spends ε = [\d.]+; it would need --dp-noise [\d.]+ or more/,
    ],
    [['--dp', '--class-weights', 'balanced'], /^onnx-mlp: --class-weights "?balanced"?: cannot be combined with --dp/],
    [['--dp', '--clip-norm', '1'], /^onnx-mlp: --clip-norm 1: cannot be combined with --dp/],
    [['--dp-noise', '1'], /^onnx-mlp: --dp-noise 1: only --dp uses it$/],
  ])('refuses %j with one line and writes nothing', async (extra, message) => {
    const runs = join(dir, `bad-${extra.join('')}`);
    const run = await runCli([...TABULAR, ...extra, '--runs-dir', runs], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stdout).toBe('');
    expect(existsSync(runs)).toBe(false);
  });
  it('takes --dp and its settings from --config, with the same checks', async () => {
    const config = join(dir, 'dp.json');
    await writeFile(config, JSON.stringify({ dp: true, dpNoise: 1, dpClip: 0 }));
    const run = await runCli([...TABULAR, '--config', config, '--runs-dir', join(dir, 'config-runs')], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('onnx-mlp: --dp-clip 0: must be a positive number');
    expect(existsSync(join(dir, 'config-runs'))).toBe(false);
  });
});

describe('train --dp: kill -9 in the middle of an epoch, then --resume', () => {
  const ARGS = ['train', '--dp', '--dp-noise', '1', '--epochs', '3', '--hidden', '32', '--dropout', '0.2', '--quiet'];

  it('ends with the same weights, bit for bit, and the same model.onnx as an uninterrupted run', async () => {
    const whole = await runCli([...ARGS, '--runs-dir', join(dir, 'whole')], { cwd: dir, timeoutMs: 120_000 });
    expect(whole.code, whole.stderr).toBe(0);
    const folder = join(dir, 'killed', '1');
    const { signal, epochs: done } = await killMidEpoch([...ARGS, '--runs-dir', join(dir, 'killed')], { cwd: dir, folder, afterMs: 100 });
    expect(signal).toBe('SIGKILL');
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(3);
    const resumed = await runCli(['train', '--resume', folder], { cwd: dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = decodeCheckpoint(await readFile(join(dir, 'whole', '1', 'checkpoint.ckpt')));
    const b = decodeCheckpoint(await readFile(join(folder, 'checkpoint.ckpt')));
    expect(b.epoch).toBe(3);
    expect(b.step).toBe(a.step);
    expectSameParameters(b, a);
    expect(await withoutRunTimes(await readFile(join(folder, 'model.onnx')))).toEqual(
      await withoutRunTimes(await readFile(join(dir, 'whole', '1', 'model.onnx'))),
    );
  }, 180_000);
});
