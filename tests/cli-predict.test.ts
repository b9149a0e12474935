import { pseudoRandomBytes } from './helpers/random-bytes.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel } from '@onnx-mlp/core';
import { DataType, GraphBuilder, makeModel } from '@onnx-mlp/core/ir';
import { CLI_PATH, runCli, type CliResult } from './helpers/run-cli.js';
import { expectOneErrorLine } from './helpers/cli-expect.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { mnistTestSplit } from './helpers/mnist-test-split.js';
import {
  TABLE_COLUMNS,
  rawInputs,
  runModel,
  syntheticRecords,
  toCsv,
  trainTabularModel,
  type TabularFixture,
  type TextRecord,
} from './helpers/tabular-models.js';

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));

/** What a spawned CLI did, with its wall time and, when polled, the peak resident set (VmHWM) the kernel recorded. */
interface SpawnResult extends CliResult {
  readonly seconds: number;
  readonly peakRssMiB?: number;
}

/**
 * Runs the built CLI as a child process, `input` piped to its stdin. With `pollRss`, reads the
 * child's own /proc/<pid>/status VmHWM (the kernel's high-water mark of its resident memory) every
 * 20 ms until it exits; the last reading is its peak up to then.
 */
function spawnCli(args: readonly string[], options: { cwd: string; input?: string | Uint8Array; pollRss?: boolean }): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let peakKiB = 0;
    const poll = (): void => {
      try {
        const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // the process is gone
      }
    };
    const timer = options.pollRss ? setInterval(poll, 20) : undefined;
    child.stdin.on('error', () => undefined); // the CLI may exit before reading all of its input
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        seconds: (performance.now() - started) / 1000,
        ...(options.pollRss ? { peakRssMiB: peakKiB / 1024 } : {}),
      });
    });
  });
}

/** A successful run's stdout as CSV rows (no quoted fields in predict's output here). */
function csvRows(run: CliResult): string[][] {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
}

/** predict's CSV output checked against onnxruntime-node's outputs for the same rows. */
function expectClassifierCsv(rows: string[][], classNames: readonly string[], probabilities: Float32Array, labels: BigInt64Array): void {
  expect(rows[0]).toEqual(['label', ...classNames.map((n) => `p_${n}`)]);
  const n = labels.length;
  expect(rows).toHaveLength(n + 1);
  const C = classNames.length;
  for (let i = 0; i < n; i++) {
    const row = rows[i + 1]!;
    expect(row[0]).toBe(classNames[Number(labels[i])]);
    for (let c = 0; c < C; c++) expect(Math.abs(Number(row[c + 1]) - probabilities[i * C + c]!)).toBeLessThanOrEqual(1e-6);
  }
}

describe('onnx-mlp predict', () => {
  let dir: string;
  let records: TextRecord[];
  let multiclass: TabularFixture;
  let regression: TabularFixture;
  let expected: Record<string, Float32Array | BigInt64Array>;
  const path = (name: string) => join(dir, name);
  const csvText = () => toCsv(records);

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-predict-');
    records = syntheticRecords(300);
    [multiclass, regression] = await Promise.all([trainTabularModel(records, 'multiclass'), trainTabularModel(records, 'regression')]);
    expected = await runModel(multiclass.bytes, rawInputs(multiclass.preprocessing, records), multiclass.preprocessing.columns.length);
    await Promise.all([
      writeFile(path('multiclass.onnx'), multiclass.bytes),
      writeFile(path('regression.onnx'), regression.bytes),
      writeFile(path('data.csv'), csvText()),
      writeFile(path('data.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`),
    ]);
  });
  afterAll(() => removeDir(dir));

  it("a classifier: one row per input row, the class name as label, p_<class> equal to onnxruntime-node's to 1e-6", async () => {
    const run = await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv'), '--batch-size', '64'], { cwd: dir });
    expectClassifierCsv(csvRows(run), ['low', 'mid', 'high'], expected.probabilities as Float32Array, expected.label as BigInt64Array);
  });

  it('stdin gives byte for byte what the file gives (CSV and JSON Lines in, CSV and JSON Lines out)', async () => {
    const model = path('multiclass.onnx');
    const [fromFile, fromStdin, jsonlFile, jsonlStdin] = await Promise.all([
      spawnCli(['predict', model, '--data', path('data.csv')], { cwd: dir }),
      spawnCli(['predict', model, '--data', '-'], { cwd: dir, input: csvText() }),
      spawnCli(['predict', model, '--data', path('data.jsonl'), '--format', 'jsonl'], { cwd: dir }),
      spawnCli(['predict', model, '--data', '-', '--input-format', 'jsonl', '--format', 'jsonl'], {
        cwd: dir,
        input: await readFile(path('data.jsonl')),
      }),
    ]);
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromFile.stdout.split('\n')).toHaveLength(records.length + 2); // header, rows, final newline
    expect(jsonlStdin.stdout).toBe(jsonlFile.stdout);
    const objects = jsonlFile.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects).toHaveLength(records.length);
    const p = expected.probabilities as Float32Array;
    objects.forEach((o, i) => {
      expect(Object.keys(o)).toEqual(['label', 'p_low', 'p_mid', 'p_high']);
      expect(o.label).toBe(['low', 'mid', 'high'][Number((expected.label as BigInt64Array)[i])]);
      [o.p_low, o.p_mid, o.p_high].forEach((v: number, c) => expect(Math.abs(v - p[i * 3 + c]!)).toBeLessThanOrEqual(1e-6));
    });
  });

  it("a regression model: a `prediction` column equal to onnxruntime-node's", async () => {
    const out = await runModel(regression.bytes, rawInputs(regression.preprocessing, records), regression.preprocessing.columns.length);
    const rows = csvRows(await runCli(['predict', path('regression.onnx'), '--data', path('data.csv')], { cwd: dir }));
    expect(rows[0]).toEqual(['prediction']);
    expect(rows.slice(1).map((r) => Math.fround(Number(r[0])))).toEqual(Array.from(out.prediction as Float32Array)); // shortest float32 text: exact
  });

  it('a model without preprocessing (mnist-mlp.onnx): numeric columns only; --label leaves the label column out', async () => {
    const test = await mnistTestSplit();
    const rows = 100;
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `px${i}`)];
    const lines = [header.join(',')];
    for (let i = 0; i < rows; i++)
      lines.push([String(test.targets[i]), ...Array.from(test.features.subarray(i * 784, (i + 1) * 784), String)].join(','));
    await writeFile(path('digits.csv'), `${lines.join('\n')}\n`);
    const out = await runModel(await readFile(MNIST_MODEL), test.features.slice(0, rows * 784), 784);
    const [withLabel, without] = await Promise.all([
      runCli(['predict', MNIST_MODEL, '--data', path('digits.csv'), '--label', 'label'], { cwd: dir }),
      runCli(['predict', MNIST_MODEL, '--data', path('digits.csv')], { cwd: dir }),
    ]);
    expectClassifierCsv(
      csvRows(withLabel),
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      out.probabilities as Float32Array,
      out.label as BigInt64Array,
    );
    expectOneErrorLine(
      without,
      /^onnx-mlp: .*digits\.csv: has 785 feature columns; the model takes 784 numeric features .*; add --label label to leave out the label column$/,
    );
  });

  it('--out: written whole, never onto an existing file without --force; a bad row leaves nothing behind', async () => {
    const out = path('predictions.csv');
    const first = await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv'), '--out', out], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`300 predictions written to ${out}\n`);
    const written = await readFile(out, 'utf8');
    expect(written).toBe((await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv')], { cwd: dir })).stdout);

    await writeFile(out, 'precious\n');
    expectOneErrorLine(
      await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv'), '--out', out], { cwd: dir }),
      /^onnx-mlp: --out .*predictions\.csv: file exists; add --force to replace it$/,
    );
    expect(await readFile(out, 'utf8')).toBe('precious\n');

    // A bad row far into the file (after batches were already written to the temp file).
    const bad = records.map((r, i) => (i === 250 ? { ...r, age: 'old' } : r));
    await writeFile(path('bad-age.csv'), toCsv(bad));
    const [badForced, badNew] = await Promise.all([
      runCli(['predict', path('multiclass.onnx'), '--data', path('bad-age.csv'), '--out', out, '--force', '--batch-size', '100'], {
        cwd: dir,
      }),
      runCli(['predict', path('multiclass.onnx'), '--data', path('bad-age.csv'), '--out', path('new.jsonl'), '--batch-size', '100'], {
        cwd: dir,
      }),
    ]);
    for (const run of [badForced, badNew]) {
      expectOneErrorLine(run, /^onnx-mlp: .*bad-age\.csv, line 252, column "age": "old" is not a number$/);
    }
    expect(await readFile(out, 'utf8')).toBe('precious\n');
    const files = await readdir(dir);
    expect(files).not.toContain('new.jsonl');
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);

    const forced = await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv'), '--out', out, '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(written);
  });

  it('bad input: missing column, non-numeric value, unknown flag, missing file, foreign .onnx, random bytes — one line each', async () => {
    const b = new GraphBuilder('foreign');
    b.output(b.op('Relu', [b.input('x', DataType.FLOAT, ['n', 4])]), 'y');
    await writeFile(path('foreign.onnx'), encodeModel(makeModel(b.build())));
    await writeFile(path('random.onnx'), pseudoRandomBytes(3000, 11));
    await writeFile(
      path('no-member.csv'),
      toCsv(
        records.slice(0, 5),
        TABLE_COLUMNS.filter((c) => c !== 'member'),
      ),
    );
    await writeFile(path('digit-text.csv'), `a,b\n1,2\n3,three\n`);
    const out = path('kept.csv');
    await writeFile(out, 'kept\n');
    const model = path('multiclass.onnx');
    const withOut = ['--out', out, '--force'];
    const runs = await Promise.all([
      runCli(['predict', model, '--data', path('no-member.csv'), ...withOut], { cwd: dir }),
      spawnCli(['predict', model, '--data', '-', ...withOut], { cwd: dir, input: 'age,income,member,city\n30,50,maybe,oslo\n' }),
      runCli(['predict', model, '--data', path('data.csv'), '--outfile', out], { cwd: dir }),
      runCli(['predict', model, '--data', path('absent.csv'), ...withOut], { cwd: dir }),
      runCli(['predict', path('foreign.onnx'), '--data', path('data.csv'), ...withOut], { cwd: dir }),
      runCli(['predict', path('random.onnx'), '--data', path('data.csv'), ...withOut], { cwd: dir }),
      runCli(['predict', MNIST_MODEL, '--data', path('digit-text.csv'), ...withOut], { cwd: dir }),
    ]);
    const [noColumn, notBoolean, unknownFlag, noFile, foreign, random] = runs;
    expectOneErrorLine(
      noColumn!,
      /^onnx-mlp: .*no-member\.csv: has no column "member"; the model expects the columns "age", "income", "member", "city"$/,
    );
    expectOneErrorLine(notBoolean!, /^onnx-mlp: stdin, line 2, column "member": "maybe" is not a boolean/);
    expectOneErrorLine(unknownFlag!, /^onnx-mlp: Unknown argument: outfile/, 2);
    expectOneErrorLine(noFile!, /^onnx-mlp: .*absent\.csv: cannot be read: no such file$/);
    expectOneErrorLine(
      foreign!,
      /^onnx-mlp: predict needs an onnx-mlp inference model \(model\.onnx from a run folder\); .*foreign\.onnx is an ONNX model without onnx-mlp metadata/,
    );
    expectOneErrorLine(random!, /^onnx-mlp: .*random\.onnx: not a readable ONNX model \(/);
    // MNIST's model takes 784 columns; the width is checked before any cell.
    expectOneErrorLine(runs[6]!, /^onnx-mlp: .*digit-text\.csv: has 2 feature columns; the model takes 784 numeric features/);
    expect(await readFile(out, 'utf8')).toBe('kept\n');
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // A non-numeric cell in a model without preprocessing: needs a 784-wide file.
    const wide = [
      Array.from({ length: 784 }, (_, i) => `p${i}`).join(','),
      new Array(784).fill('0').join(','),
      [...new Array(783).fill('0'), 'x'].join(','),
    ];
    await writeFile(path('wide.csv'), `${wide.join('\n')}\n`);
    expectOneErrorLine(
      await runCli(['predict', MNIST_MODEL, '--data', path('wide.csv'), ...withOut], { cwd: dir }),
      /^onnx-mlp: .*wide\.csv, line 3, column "p783": "x" is not a number; a model without preprocessing takes numbers only$/,
    );
    expect(await readFile(out, 'utf8')).toBe('kept\n');
  });

  it('a run folder given as the model: one line naming the folder and the model.onnx inside it', async () => {
    await mkdir(path('run'), { recursive: true });
    await writeFile(path('run/model.onnx'), multiclass.bytes);
    expectOneErrorLine(
      await runCli(['predict', 'run', '--data', 'data.csv'], { cwd: dir }),
      /^onnx-mlp: run: not a readable ONNX model \(it is a folder; predict run\/model\.onnx\?\)$/,
    );
  });

  it('streams 200,000 rows (~10 MB of CSV) in constant memory: peak RSS under 300 MB, every row predicted in order', async () => {
    const n = 200_000;
    const header = TABLE_COLUMNS.join(',');
    const body = toCsv(records).trimEnd().split('\n').slice(1);
    const lines = new Array<string>(n + 1);
    lines[0] = header;
    for (let i = 0; i < n; i++) lines[i + 1] = body[i % body.length]!;
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(9_000_000);
    await writeFile(path('big.csv'), text);
    const out = path('big-predictions.csv');
    const run = await spawnCli(['predict', path('multiclass.onnx'), '--data', path('big.csv'), '--out', out], { cwd: dir, pollRss: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    console.log(
      `predict: ${n} rows (${(text.length / 1e6).toFixed(1)} MB) in ${run.seconds.toFixed(2)} s = ` +
        `${Math.round(n / run.seconds)} rows/s (process start included); peak RSS ${run.peakRssMiB!.toFixed(0)} MiB`,
    );
    expect(run.peakRssMiB).toBeGreaterThan(20); // the poll really read the child
    expect(run.peakRssMiB).toBeLessThan(300);
    const predicted = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(predicted).toHaveLength(n + 1);
    const small = (await runCli(['predict', path('multiclass.onnx'), '--data', path('data.csv')], { cwd: dir })).stdout
      .trimEnd()
      .split('\n');
    for (let i = 0; i < n; i += 997) expect(predicted[i + 1]).toBe(small[(i % records.length) + 1]);
    expect(predicted[n]).toBe(small[((n - 1) % records.length) + 1]);
  }, 60_000);
});
