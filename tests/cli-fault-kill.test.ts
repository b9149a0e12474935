import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeModel } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { runCli, startCli, waitFor, type CliResult } from './helpers/run-cli.js';
import { NoMount, mountTmpfs, type ScratchMount } from './helpers/scratch-mount.js';
import { syntheticRows, toCsv, writeCsv } from './helpers/tabular-data.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { withoutRunTimes } from './helpers/model-identity.js';

// Fault injection (issue 11 item 8), part 2: kill -9 at seeded moments of train and predict --out,
// a full disk, and two resumes of one run folder at once.
const SEED = 1130;
const COLUMNS = ['x1', 'x2', 'color', 'member', 'zip', 'label'];
// Batches of 4 over 5,600 train rows: 1,400 steps an epoch, so an epoch lasts long enough to be killed in.
const TRAIN = ['train', '--data', 'd.csv', '--label', 'label', '--epochs', '4', '--batch-size', '4', '--hidden', '16', '--quiet'];
const TEMP = /\.tmp-\d+-[0-9a-f]+$/;

let dir: string;
let mount: ScratchMount | NoMount | undefined;
beforeAll(async () => {
  dir = await makeTempDir();
  await writeCsv(dir, 'd.csv', syntheticRows(8000, 21), COLUMNS);
  const ref = await runCli([...TRAIN, '--runs-dir', 'ref'], { cwd: dir, timeoutMs: 120_000 });
  expect(ref.code, ref.stderr).toBe(0);
}, 150_000);
afterAll(async () => {
  if (mount && !(mount instanceof NoMount)) await mount.unmount();
  await removeDir(dir);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const temps = async (folder: string) => (await readdir(join(dir, folder))).filter((n) => TEMP.test(n));

/** The command failed with one line on stderr matching `line`. */
function expectOneLine(r: CliResult, line: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.split('\n'), r.stderr).toHaveLength(2);
  expect(r.stderr.trimEnd()).toMatch(line);
}

/** Writes `path` until its file system has no byte left. */
async function fillUp(path: string): Promise<void> {
  const filler = await open(path, 'w');
  try {
    for (const size of [1 << 16, 4096, 512, 1]) {
      for (;;) {
        const written = await filler.write(Buffer.alloc(size)).then(
          () => true,
          () => false,
        );
        if (!written) break;
      }
    }
  } finally {
    await filler.close();
  }
}

/** Every file of the run folder that is not a temp file is complete: it parses as what it is. */
async function expectComplete(folder: string): Promise<string[]> {
  const names = (await readdir(join(dir, folder))).filter((n) => !TEMP.test(n));
  for (const name of names) {
    const bytes = await readFile(join(dir, folder, name));
    if (name.endsWith('.json')) expect(() => JSON.parse(bytes.toString('utf8')), name).not.toThrow();
    else if (name === 'checkpoint.ckpt') expect(() => decodeCheckpoint(bytes), name).not.toThrow();
    else if (name.endsWith('.onnx')) expect(decodeModel(bytes).graph.nodes.length, name).toBeGreaterThan(0);
    else expect(name).toBe('train.lock'); // a lock a killed process could not remove; the next run takes it over
  }
  return names;
}

/** The run's weights and counters equal the uninterrupted run's, bit for bit; model.onnx byte for byte but the card's clock facts. */
async function expectSameAsReference(folder: string): Promise<void> {
  const a = decodeCheckpoint(await readFile(join(dir, 'ref/1/checkpoint.ckpt')));
  const b = decodeCheckpoint(await readFile(join(dir, folder, 'checkpoint.ckpt')));
  expect([b.epoch, b.step]).toEqual([a.epoch, a.step]);
  for (const [name, t] of [...a.parameters, ...a.optimizerState]) {
    const other = b.parameters.get(name) ?? b.optimizerState.get(name)!;
    expect(Buffer.from(other.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
  }
  expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
  const [resumed, whole] = await Promise.all([readFile(join(dir, folder, 'model.onnx')), readFile(join(dir, 'ref/1/model.onnx'))]);
  expect((await withoutRunTimes(resumed)).equals(await withoutRunTimes(whole))).toBe(true);
}

describe('fault injection: kill -9, a full disk, concurrent resumes', () => {
  it('kill -9 of train at seeded moments: every file absent or complete; --resume ends byte-identical', async () => {
    const rng = new Rng(SEED);
    const outcomes: string[] = [];
    for (let k = 0; k < 3; k++) {
      const runs = `kill${k}`;
      const child = startCli([...TRAIN, '--runs-dir', runs], { cwd: dir });
      // The first kill lands anywhere (start-up, data, the first epoch); the others inside training.
      if (k === 0) await sleep(200 + rng.uniform() * 1500);
      else {
        await waitFor(() => existsSync(join(dir, runs, '1', 'checkpoint.ckpt')), 120_000);
        await sleep(rng.uniform() * 250);
      }
      child.child.kill('SIGKILL');
      await child.done;
      const folder = `${runs}/1`;
      if (!existsSync(join(dir, folder))) {
        outcomes.push('before its run folder');
        continue;
      }
      const files = await expectComplete(folder);
      const killedAfter = files.includes('checkpoint.ckpt')
        ? decodeCheckpoint(await readFile(join(dir, folder, 'checkpoint.ckpt'))).epoch
        : 0;
      const resumed = await runCli(['train', '--resume', folder], { cwd: dir, timeoutMs: 120_000 });
      if (!files.includes('checkpoint.ckpt')) {
        expectOneLine(resumed, /no epoch completed in this run/);
        outcomes.push('before its first checkpoint');
        continue;
      }
      if (files.includes('model.onnx')) {
        // The kill came after the run had finished: nothing to resume, and what it wrote is whole.
        expectOneLine(resumed, /the run already completed 4 of 4 epochs/);
        await expectSameAsReference(folder);
        outcomes.push('after the run finished');
        continue;
      }
      expect(resumed.code, resumed.stderr).toBe(0);
      await expectSameAsReference(folder);
      expect(await temps(folder)).toEqual([]);
      expect(existsSync(join(dir, folder, 'train.lock'))).toBe(false);
      outcomes.push(`after epoch ${killedAfter} of 4, resumed to the same weights`);
    }
    console.log(`fault-injection kill -9 of train (seed ${SEED}): ${outcomes.join('; ')}`);
    // Kills 2 and 3 wait for a checkpoint (the first may land anywhere): each is after one, and at
    // least one lands mid-training, so that a resume really continues a run.
    expect(outcomes.slice(1).every((o) => o.startsWith('after'))).toBe(true);
    expect(outcomes.filter((o) => o.startsWith('after epoch')).length).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('kill -9 of predict --out at a seeded moment: the output absent or complete; the next run removes the temp file', async () => {
    const rng = new Rng(SEED + 1);
    const rows = syntheticRows(2000, 5);
    const body = toCsv(rows, COLUMNS);
    await writeFile(join(dir, 'many.csv'), body + body.slice(body.indexOf('\n') + 1).repeat(29)); // 60,000 rows
    await mkdir(join(dir, 'pred'));
    const args = ['predict', 'ref/1/model.onnx', '--data', 'many.csv', '--label', 'label', '--out', 'pred/p.csv'];
    const child = startCli(args, { cwd: dir });
    await waitFor(async () => (await temps('pred')).length > 0, 120_000);
    await sleep(rng.uniform() * 300);
    child.child.kill('SIGKILL');
    await child.done;
    const complete = async () => (await readFile(join(dir, 'pred/p.csv'), 'utf8')).split('\n').length === 60_002;
    if (existsSync(join(dir, 'pred/p.csv'))) expect(await complete()).toBe(true);
    const again = await runCli([...args, '--force'], { cwd: dir, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(await complete()).toBe(true);
    expect(await temps('pred')).toEqual([]);
  }, 300_000);

  it('a full disk (a small tmpfs): the failing write is named, the last checkpoint stays whole, resume works once there is room', async (ctx) => {
    mount = await mountTmpfs(join(dir, 'disk'), { sizeKb: 2048 });
    if (mount instanceof NoMount) return ctx.skip(mount.reason);
    await writeCsv(dir, 'small.csv', syntheticRows(200, 8), COLUMNS);
    const small = [
      'train',
      '--data',
      'small.csv',
      '--label',
      'label',
      '--epochs',
      '1',
      '--hidden',
      '8',
      '--quiet',
      '--runs-dir',
      'disk/runs',
    ];
    const first = await runCli(small, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const before = await readFile(join(dir, 'disk/runs/1/checkpoint.ckpt'));
    // Fill the disk, then free one page: room for the lock file, none for the epoch's checkpoint.
    await writeFile(join(dir, 'disk/page'), Buffer.alloc(4096));
    await fillUp(join(dir, 'disk/filler'));
    await rm(join(dir, 'disk/page'));
    const full = await runCli(['train', '--resume', 'disk/runs/1', '--epochs', '2'], { cwd: dir });
    expectOneLine(full, /^onnx-mlp: cannot write disk\/runs\/1\/\S+: no space left on device$/);
    expect((await readFile(join(dir, 'disk/runs/1/checkpoint.ckpt'))).equals(before)).toBe(true);
    expect(await temps('disk/runs/1')).toEqual([]);
    expect(existsSync(join(dir, 'disk/runs/1/train.lock'))).toBe(false);
    const predict = await runCli(['predict', 'disk/runs/1/model.onnx', '--data', 'small.csv', '--label', 'label', '--out', 'disk/p.csv'], {
      cwd: dir,
    });
    expectOneLine(predict, /^onnx-mlp: cannot write disk\/p\.csv: no space left on device$/);
    expect((await readdir(join(dir, 'disk'))).sort()).toEqual(['filler', 'runs']);
    expect(await temps('disk')).toEqual([]);
    await rm(join(dir, 'disk/filler'));
    const resumed = await runCli(['train', '--resume', 'disk/runs/1', '--epochs', '2', '--quiet'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(decodeCheckpoint(await readFile(join(dir, 'disk/runs/1/checkpoint.ckpt'))).epoch).toBe(2);
  }, 120_000);

  it('two resumes of one run folder at once: one trains, the other exits 1 with one line; the folder ends whole', async () => {
    await mkdir(join(dir, 'twice'));
    for (const f of ['config.json', 'checkpoint.ckpt']) await copyFile(join(dir, 'ref/1', f), join(dir, 'twice', f));
    const args = ['train', '--resume', 'twice', '--epochs', '6', '--quiet'];
    const [a, b] = await Promise.all([runCli(args, { cwd: dir, timeoutMs: 120_000 }), runCli(args, { cwd: dir, timeoutMs: 120_000 })]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expectOneLine(
      loser,
      /^onnx-mlp: (run folder twice is in use by process \d+ on |--resume twice: the run already completed 6 of 6 epochs)/,
    );
    expect(decodeCheckpoint(await readFile(join(dir, 'twice/checkpoint.ckpt'))).epoch).toBe(6);
    await expectComplete('twice');
    expect(await temps('twice')).toEqual([]);
    expect(existsSync(join(dir, 'twice/train.lock'))).toBe(false);
  }, 240_000);
});
