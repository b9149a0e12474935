import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, fitPreprocessing, type Preprocessing } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { columnValues, inferKind, type NumericColumn, type TextColumn } from '@onnx-mlp/core/preprocess';
import { META } from '@onnx-mlp/core/internal';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { lines, trainInFreshFolder } from './helpers/tabular-data.js';

const ROWS = 20000;
const COLORS = ['red', 'green', 'blue', 'teal', 'plum'];

/** A 20,000-row CSV: two numbers (one with gaps), a category, a boolean, and a three-class label that depends on them. */
function csv(): { text: string; rows: string[][] } {
  const rng = new Rng(5);
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i++) {
    const x1 = rng.normal() * 2 + 10;
    const x2 = rng.uniform() < 0.05 ? null : rng.uniform() * 4 - 2;
    const c = rng.int(COLORS.length);
    const member = rng.uniform() < 0.4;
    const score = (x1 - 10) / 2 + (x2 ?? 0) + (c % 3) - 1 + (member ? 0.7 : -0.3);
    const label = score < -0.7 ? 'low' : score < 0.9 ? 'mid' : 'high';
    rows.push([x1.toFixed(5), x2 === null ? '' : x2.toFixed(5), COLORS[c]!, String(member), label]);
  }
  return { text: `${['x1,x2,color,member,label', ...rows.map((r) => r.join(','))].join('\n')}\n`, rows };
}

/**
 * The --stream split as documented: one draw of Rng((seed ^ 0x5eed5eed) >>> 0).uniform() a row, in
 * file order: below --test-split test, then below --test-split + --val-split validation, else train.
 */
function trainRows(rows: string[][], seed: number, val: number, test: number): string[][] {
  const rng = new Rng((seed ^ 0x5eed5eed) >>> 0);
  return rows.filter(() => rng.uniform() >= test + val);
}

describe('onnx-mlp train --data --stream (built CLI)', () => {
  let dir: string;
  let data: { text: string; rows: string[][] };
  let run: CliResult;
  beforeAll(async () => {
    dir = await makeTempDir();
    data = csv();
    await writeFile(join(dir, 'data.csv'), data.text);
    run = await runCli(
      [
        'train',
        '--data',
        'data.csv',
        '--label',
        'label',
        '--stream',
        '--shuffle-buffer',
        '1000',
        '--epochs',
        '3',
        '--batch-size',
        '64',
        '--hidden',
        '32',
        '--lr',
        '0.01',
        '--runs-dir',
        'runs',
        '--quiet',
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
  }, 90_000);
  afterAll(() => removeDir(dir));

  it('trains through 1,000-row shuffle buffers and scores above 85% on the held-out test rows', () => {
    expect(run.code, run.stderr).toBe(0);
    const m = /^test accuracy: (\d+\.\d{2})% \((\d+) rows\)$/m.exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(85);
    const held = ROWS - trainRows(data.rows, 42, 0.1, 0.2).length;
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(Number(m![2])).toBeLessThan(held);
  });

  it('bakes into model.onnx the preprocessing fitPreprocessing computes on the same train rows', async () => {
    const meta = decodeModel(await readFile(join(dir, 'runs', '1', 'model.onnx'))).metadata;
    const got = JSON.parse(meta.get(META.preprocessing)!) as Preprocessing;
    const train = trainRows(data.rows, 42, 0.1, 0.2);
    const columns: TextColumn[] = ['x1', 'x2', 'color', 'member'].map((name, k) => ({ name, values: train.map((r) => r[k]!) }));
    const expected = fitPreprocessing(columns.map((c) => columnValues(c, inferKind(c), (r) => `row ${r}`)));
    expect(got.columns.map((c) => [c.name, c.kind])).toEqual(expected.columns.map((c) => [c.name, c.kind]));
    got.columns.forEach((c, i) => {
      const e = expected.columns[i]!;
      if (c.kind === 'categorical' && e.kind === 'categorical') {
        expect(c.vocabulary).toEqual(e.vocabulary);
        expect(c.missingIndex).toBe(e.missingIndex);
      } else if (c.kind !== 'categorical' && e.kind !== 'categorical') {
        for (const k of ['impute', 'center', 'scale'] as const)
          expect(Math.abs(c[k] - e[k])).toBeLessThan(1e-9 * Math.max(1, Math.abs(e[k])));
      }
    });
    const training = JSON.parse(meta.get(META.training)!);
    expect(training.trainRows).toBe(train.length);
    expect(training.stream).toEqual({ shuffleBuffer: 1000 });
  });

  it('refuses --impute median with --stream in one line, exit 1', async () => {
    const r = await runCli(['train', '--data', 'data.csv', '--label', 'label', '--stream', '--impute', 'median', '--runs-dir', 'runs2'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--impute median: cannot be used with --stream/);
  });
});

describe('train --data with and without --stream: one answer for a bad value in a numeric column', () => {
  /** 3,000 rows of a numeric x, a category and a label, with `bad` as x at data row `at` (line at + 2). */
  const file = (at: number, bad: string) =>
    `x,c,y\n${Array.from({ length: 3000 }, (_, i) => `${i === at ? bad : (i % 97) / 7},${'pq'[i % 2]},${i % 3 ? 'a' : 'b'}`).join('\n')}\n`;
  const FILES: Record<string, string> = {
    'late-text.csv': file(2700, 'abc'),
    'late-inf.csv': file(2700, 'Infinity'),
    'late-neg-inf.csv': file(2800, '-Infinity'),
    'early-inf.csv': file(2, '-Infinity'),
    // Among the first values of the file (a train row or held out, whatever the split): x is categorical.
    'early-text.csv': file(3, 'abc'),
    'late-nan.csv': file(2700, 'NaN'),
    // Finite in float64, infinite in the model's float32 tensors.
    'late-huge.csv': file(2700, '-1e39'),
  };
  const late = (f: string, v: string, line: number) =>
    new RegExp(
      `^onnx-mlp: ${f.replace('.', '\\.')}, line ${line}, column "x": "${v}" is not a number \\(the column is numeric\\); ` +
        `its kind comes from its first 1000 values: if it holds categories, declare it with --categorical x$`,
    );
  // A number that is not finite in float32 is no category: refused as such, with the option that reads it as missing.
  const nonfinite = (f: string, v: string, line: number) =>
    new RegExp(
      `^onnx-mlp: ${f.replace('.', '\\.')}, line ${line}, column "x": "${v}" is not a finite float32 number \\(the column is numeric\\); ` +
        `--nonfinite missing reads such cells as missing$`,
    );
  it.concurrent.for([
    ...['', '--stream'].flatMap((stream) => [
      { stream, args: ['--data', 'late-text.csv'], message: late('late-text.csv', 'abc', 2702) },
      { stream, args: ['--data', 'late-inf.csv'], message: nonfinite('late-inf.csv', 'Infinity', 2702) },
      { stream, args: ['--data', 'late-neg-inf.csv'], message: nonfinite('late-neg-inf.csv', '-Infinity', 2802) },
      { stream, args: ['--data', 'late-huge.csv'], message: nonfinite('late-huge.csv', '-1e39', 2702) },
      // Among the first values, in a train row or a held-out one: refused once the kind is decided, before training.
      { stream, args: ['--data', 'early-inf.csv'], message: nonfinite('early-inf.csv', '-Infinity', 4) },
    ]),
  ])('train $args $stream: refused in one line, exit 1, no run folder', async ({ stream, args, message }, { expect }) => {
    const { run, entries } = await trainInFreshFolder(FILES, [...args, '--label', 'y', ...(stream ? [stream] : [])]);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(entries).toEqual(Object.keys(FILES).sort());
  });

  it.concurrent.for(['', '--stream'])(
    'train %s: with --categorical x the late text is a category, early text makes x categorical; NaN is a missing value',
    async (stream, { expect }) => {
      const cwd = await makeTempDir();
      try {
        for (const [name, text] of Object.entries(FILES)) await writeFile(join(cwd, name), text);
        const flags = ['--label', 'y', ...(stream ? [stream] : []), '--hidden', '4', '--epochs', '1', '--quiet'];
        const kindOfX = async (folder: string) => {
          const meta = decodeModel(await readFile(join(cwd, folder, '1', 'model.onnx'))).metadata;
          return (JSON.parse(meta.get(META.preprocessing)!) as Preprocessing).columns[0];
        };
        const declared = await runCli(['train', '--data', 'late-text.csv', '--categorical', 'x', '--runs-dir', 'declared', ...flags], {
          cwd,
        });
        expect(declared.stderr).toBe('');
        expect(declared.code).toBe(0);
        expect(await kindOfX('declared')).toMatchObject({ name: 'x', kind: 'categorical' });
        const early = await runCli(['train', '--data', 'early-text.csv', '--runs-dir', 'early', ...flags], { cwd });
        expect(early.stderr).toBe('');
        expect(early.code).toBe(0);
        expect(await kindOfX('early')).toMatchObject({ name: 'x', kind: 'categorical' });
        const nan = await runCli(['train', '--data', 'late-nan.csv', '--runs-dir', 'nan', ...flags], { cwd });
        expect(nan.stderr).toBe('');
        expect(nan.code).toBe(0);
        expect(await kindOfX('nan')).toMatchObject({ name: 'x', kind: 'numeric', imputeStrategy: 'mean' });
      } finally {
        await removeDir(cwd);
      }
    },
  );

  it.concurrent.for(['', '--stream'])(
    'train %s --nonfinite missing: Infinity early or late and -1e39 are missing cells, imputed; the statistics stay those of the finite values',
    async (stream, { expect }) => {
      const cwd = await makeTempDir();
      try {
        for (const [name, text] of Object.entries(FILES)) await writeFile(join(cwd, name), text);
        for (const f of ['early-inf.csv', 'late-inf.csv', 'late-huge.csv']) {
          const folder = f.replace('.csv', '');
          const flags = [
            '--label',
            'y',
            ...(stream ? [stream] : []),
            '--hidden',
            '4',
            '--epochs',
            '1',
            '--quiet',
            '--nonfinite',
            'missing',
          ];
          const r = await runCli(['train', '--data', f, '--runs-dir', folder, ...flags], { cwd });
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          const meta = decodeModel(await readFile(join(cwd, folder, '1', 'model.onnx'))).metadata;
          const x = (JSON.parse(meta.get(META.preprocessing)!) as Preprocessing).columns[0] as NumericColumn;
          expect(x).toMatchObject({ name: 'x', kind: 'numeric' });
          // x is (i % 97) / 7: mean about 6.9, spread about 4.0, whatever the split.
          expect(x.center).toBeGreaterThan(6);
          expect(x.center).toBeLessThan(8);
          expect(x.scale).toBeGreaterThan(3);
          expect(x.scale).toBeLessThan(5);
        }
      } finally {
        await removeDir(cwd);
      }
    },
  );
});
