import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { mutate, mutateJsonText, mutateOnnx } from './helpers/fuzz-mutations.js';
import { requireFreshBundle } from './helpers/cli-bundle.js';
import { runCli } from './helpers/run-cli.js';
import { syntheticRows, writeCsv } from './helpers/tabular-data.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Fault injection (issue 11 item 8), part 1: a seeded fuzzer. Every command run on a mutated CSV,
// model, checkpoint or config.json must end with exit 0, or exit 1 and one line, with no stack
// trace, hang, crash or temp file left. The cases run in one process (tests/helpers/fault-driver.mjs),
// each a fresh evaluation of the CLI's entry module: Node's start-up is paid once, not 300 times.
const SEED = 20261130;
const COUNTS = { csv: 40, model: 40, checkpoint: 40, config: 20 };
const COLUMNS = ['x1', 'x2', 'color', 'member', 'zip', 'label'];
const DRIVER = fileURLToPath(new URL('./helpers/fault-driver.mjs', import.meta.url));

interface Case {
  readonly id: string;
  readonly args: readonly string[];
  /** The folder checked for temp files after the case. */
  readonly scan: string;
  readonly what: string;
  /** --out of the case: complete after exit 0, absent after exit 1. */
  readonly out?: string;
  /** An exact stderr line the case must end with (exit 1). */
  readonly expectLine?: string;
}

interface Outcome {
  readonly id: string;
  readonly code: number;
  readonly stderr: string;
  readonly uncaught: readonly string[];
  readonly temps: readonly string[];
  readonly hang: boolean;
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
  await writeCsv(dir, 'd.csv', syntheticRows(80, 11), COLUMNS);
  const base = await runCli(
    ['train', '--data', 'd.csv', '--label', 'label', '--epochs', '1', '--hidden', '4', '--quiet', '--runs-dir', 'base'],
    {
      cwd: dir,
    },
  );
  expect(base.code, base.stderr).toBe(0);
}, 120_000);
// A failing run keeps its files (the mutated inputs, plan.json, results.jsonl) to reproduce a case with.
let keep = false;
afterAll(async () => {
  if (keep) console.log(`fault-injection: the fuzzed files and results are kept in ${dir}`);
  else await removeDir(dir);
});

/** Writes `bytes` as `<folder>/<name>` (the folder made first); returns the path relative to `dir`. */
async function place(folder: string, name: string, bytes: Buffer | string): Promise<string> {
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, name), bytes);
  return `${folder}/${name}`;
}

/** The seeded cases: each mutated file with the commands that read it. */
async function fuzzCases(): Promise<Case[]> {
  const rng = new Rng(SEED);
  const csv = await readFile(join(dir, 'd.csv'));
  const model = await readFile(join(dir, 'base/1/model.onnx'));
  const checkpoint = await readFile(join(dir, 'base/1/checkpoint.ckpt'));
  const config = await readFile(join(dir, 'base/1/config.json'));
  const cases: Case[] = [];
  for (let i = 0; i < COUNTS.csv; i++) {
    const f = `fz/c${i}`;
    const m = mutate(csv, rng, { text: true });
    const data = await place(f, 'data.csv', m.bytes);
    const train = ['train', '--data', data, '--label', 'label', '--epochs', '1', '--hidden', '4', '--batch-size', '16', '--quiet'];
    cases.push({ id: `csv${i}-train`, args: [...train, '--runs-dir', `${f}/runs`], scan: f, what: m.what });
    const out = `${f}/out.csv`;
    cases.push({
      id: `csv${i}-predict`,
      args: ['predict', 'base/1/model.onnx', '--data', data, '--label', 'label', '--out', out],
      scan: f,
      what: m.what,
      out,
    });
  }
  for (let i = 0; i < COUNTS.model; i++) {
    const f = `fz/m${i}`;
    const m = mutateOnnx(model, rng);
    const file = await place(f, 'model.onnx', m.bytes);
    cases.push({ id: `model${i}-inspect`, args: ['inspect', file], scan: f, what: m.what });
    cases.push({ id: `model${i}-predict`, args: ['predict', file, '--data', 'd.csv', '--label', 'label'], scan: f, what: m.what });
    const out = `${f}/out.jsonl`;
    const predict = ['predict', file, '--data', 'd.csv', '--label', 'label', '--no-verify', '--out', out];
    cases.push({ id: `model${i}-predict-no-verify`, args: predict, scan: f, what: m.what, out });
    cases.push({
      id: `model${i}-evaluate`,
      args: ['evaluate', file, '--data', 'd.csv', '--label', 'label', '--no-verify'],
      scan: f,
      what: m.what,
    });
  }
  for (let i = 0; i < COUNTS.checkpoint; i++) {
    const f = `fz/k${i}`;
    const m = mutateOnnx(checkpoint, rng);
    await place(f, 'config.json', config);
    const file = await place(f, 'checkpoint.ckpt', m.bytes);
    cases.push({ id: `ckpt${i}-resume`, args: ['train', '--resume', f, '--epochs', '2', '--quiet'], scan: f, what: m.what });
    cases.push({ id: `ckpt${i}-inspect`, args: ['inspect', file], scan: f, what: m.what });
  }
  for (let i = 0; i < COUNTS.config; i++) {
    const f = `fz/g${i}`;
    const m = i % 2 === 0 ? mutateJsonText(config.toString('utf8'), rng) : mutate(config, rng, { text: true });
    await place(f, 'config.json', m.bytes);
    await place(f, 'checkpoint.ckpt', checkpoint);
    cases.push({ id: `config${i}-resume`, args: ['train', '--resume', f, '--epochs', '2', '--quiet'], scan: f, what: m.what });
  }
  return cases;
}

/** Outputs onto special files: a device that is always full, a folder; /dev/null takes everything. */
async function specialFileCases(): Promise<Case[]> {
  await mkdir(join(dir, 'fz/special/a-folder'), { recursive: true });
  const predict = ['predict', 'base/1/model.onnx', '--data', 'd.csv', '--label', 'label', '--out'];
  const train = [
    'train',
    '--data',
    'd.csv',
    '--label',
    'label',
    '--epochs',
    '1',
    '--hidden',
    '4',
    '--quiet',
    '--runs-dir',
    'fz/special/runs',
  ];
  const s = 'fz/special';
  return [
    {
      id: 'dev-full',
      args: [...predict, '/dev/full'],
      scan: s,
      what: '',
      expectLine: 'onnx-mlp: cannot write /dev/full: no space left on device',
    },
    { id: 'dev-null', args: [...predict, '/dev/null'], scan: s, what: '' },
    { id: 'folder', args: [...predict, `${s}/a-folder`], scan: s, what: '' },
    {
      id: 'report-dev-full',
      args: [...train, '--report', '/dev/full'],
      scan: s,
      what: '',
      expectLine: 'onnx-mlp: cannot write /dev/full: no space left on device',
    },
  ];
}

/** Runs `cases` in the driver; its outcomes, and its own exit (a crash ends it early). */
async function runDriver(cases: readonly Case[]): Promise<{ outcomes: Outcome[]; exit: string; started: string[] }> {
  requireFreshBundle();
  const plan = join(dir, 'plan.json');
  const results = join(dir, 'results.jsonl');
  await writeFile(plan, JSON.stringify({ cwd: dir, results, timeoutMs: 30_000, cases }));
  const exit = await new Promise<string>((resolve) => {
    execFile(process.execPath, [DRIVER, plan], { cwd: dir, timeout: 400_000, maxBuffer: 1 << 26 }, (e) =>
      resolve(e ? `${e.code ?? ''} ${e.signal ?? ''} ${e.message.split('\n')[0]}` : 'ok'),
    );
  });
  const lines = (await readFile(results, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { outcomes: lines.filter((l) => 'id' in l), started: lines.filter((l) => 'start' in l).map((l) => l.start), exit };
}

/** What is wrong with one case's outcome: empty when it ended as it must. */
async function problems(c: Case, o: Outcome): Promise<string[]> {
  const found: string[] = [];
  const lines = o.stderr.split('\n').filter(Boolean);
  if (o.hang) found.push('hang');
  if (o.uncaught.length > 0) found.push(`uncaught: ${o.uncaught[0]!.split('\n')[0]}`);
  if (o.code !== 0 && o.code !== 1) found.push(`exit ${o.code}`);
  if (/^\s+at /m.test(o.stderr)) found.push('stack trace');
  if (o.code === 1 && (lines.length !== 1 || !lines[0]!.startsWith('onnx-mlp: '))) found.push(`not one line: ${JSON.stringify(o.stderr)}`);
  if (/rerun with --verbose for the stack trace/.test(o.stderr)) found.push(`internal error: ${lines[0]}`);
  if (o.temps.length > 0) found.push(`temp files: ${o.temps.join(', ')}`);
  if (c.expectLine !== undefined && (o.code !== 1 || lines[0] !== c.expectLine)) found.push(`expected exit 1 with ${c.expectLine}`);
  if (c.out !== undefined) {
    const present = existsSync(join(dir, c.out));
    if (o.code === 1 && present) found.push('--out written although the command failed');
    if (o.code === 0 && (!present || !(await readFile(join(dir, c.out), 'utf8')).endsWith('\n'))) found.push('--out missing or cut');
  }
  return found;
}

describe('fault injection: a seeded fuzzer over the CSV, the model, the checkpoint and config.json', () => {
  it('every run ends with exit 0 or a one-line exit 1: no stack trace, hang, crash or temp file', async () => {
    onTestFailed(() => {
      keep = true;
    });
    // Two canaries show that the checks can fail: a malformed command line (exit 2) and a planted temp file.
    await place('fz/canary', 'out.csv.tmp-1-0123456789ab', 'x');
    const canaries: Case[] = [
      { id: 'canary-exit', args: ['train', '--bogus'], scan: 'fz/none', what: 'canary' },
      { id: 'canary-temp', args: ['inspect', 'base/1/model.onnx'], scan: 'fz/canary', what: 'canary' },
    ];
    const cases = [...(await fuzzCases()), ...(await specialFileCases()), ...canaries];
    const { outcomes, exit, started } = await runDriver(cases);
    const byId = new Map(cases.map((c) => [c.id, c]));
    const failures: string[] = [];
    for (const o of outcomes.filter((x) => !x.id.startsWith('canary'))) {
      for (const p of await problems(byId.get(o.id)!, o)) failures.push(`${o.id} (${byId.get(o.id)!.what}): ${p}`);
    }
    const canary = (id: string) => problems(byId.get(id)!, outcomes.find((o) => o.id === id)!);
    expect(await canary('canary-exit')).toEqual(['exit 2']);
    expect(await canary('canary-temp')).toEqual(['temp files: out.csv.tmp-1-0123456789ab']);
    const crashed = exit === 'ok' ? 0 : 1;
    if (crashed) failures.push(`driver ended with ${exit} during ${started.at(-1)}`);
    const fuzzed = outcomes.filter((o) => !o.id.startsWith('canary'));
    const codes: Record<string, number> = {};
    for (const o of fuzzed) codes[o.code] = (codes[o.code] ?? 0) + 1;
    const count = (p: (o: Outcome) => boolean) => fuzzed.filter(p).length;
    const summary = {
      seed: SEED,
      runs: fuzzed.length,
      exitCodes: codes,
      traces: count((o) => o.uncaught.length > 0 || /^\s+at /m.test(o.stderr) || /rerun with --verbose/.test(o.stderr)),
      hangs: count((o) => o.hang),
      crashes: crashed,
      tempFiles: count((o) => o.temps.length > 0),
    };
    console.log(`fault-injection fuzz: ${JSON.stringify(summary)}`);
    expect(failures).toEqual([]);
    expect(outcomes).toHaveLength(cases.length);
    // The mutations reach past the first check: some runs succeed, some fail.
    expect(codes[0]).toBeGreaterThan(20);
    expect(codes[1]).toBeGreaterThan(20);
  }, 420_000);
});

describe('defects the fuzzer found (seed 4242), as regression tests', () => {
  /** base/1's `file` with metadata `key` set to `value`, written into `folder`; returns the path. */
  async function withMetadata(file: string, key: string, value: string, folder: string): Promise<string> {
    const model = decodeModel(await readFile(join(dir, 'base/1', file)));
    const metadata = new Map(model.metadata).set(key, value);
    return place(folder, file, Buffer.from(encodeModel({ ...model, metadata })));
  }

  it('inspect of a model whose class names are a number: a warning, not a TypeError', async () => {
    const file = await withMetadata('model.onnx', 'onnx_mlp.class_names', '9007199254740992', 'fz/reg-names');
    const r = await runCli(['inspect', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('metadata onnx_mlp.class_names is not a list of names');
  }, 60_000);

  it('--resume of a checkpoint whose generator state is not four words: named, not a TypeError', async () => {
    const counters = JSON.parse(decodeModel(await readFile(join(dir, 'base/1/checkpoint.ckpt'))).metadata.get('onnx_mlp.checkpoint')!);
    await withMetadata('checkpoint.ckpt', 'onnx_mlp.checkpoint', JSON.stringify({ ...counters, rng: {} }), 'fz/reg-rng');
    await copyFile(join(dir, 'base/1/config.json'), join(dir, 'fz/reg-rng/config.json'));
    const r = await runCli(['train', '--resume', 'fz/reg-rng', '--epochs', '2'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'onnx-mlp: --resume fz/reg-rng: checkpoint.ckpt is unreadable: its generator state {} is not four 32-bit words\n',
    );
  }, 60_000);
});
