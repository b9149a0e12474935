import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeRecord, regressionReport, type MlpSpec, type Preprocessing } from '@onnx-mlp/core';
import type { NumericColumn } from '@onnx-mlp/core/preprocess';
import { META } from '@onnx-mlp/core/internal';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { documentedSplit, lines, syntheticRows, trainInFreshFolder, writeCsv, type Row } from './helpers/tabular-data.js';

// 600 rows: 420 train / 60 validation / 120 test with the default --val-split 0.1 and --test-split 0.2.
const ROWS = syntheticRows(600, 7);
const FEATURES = ['x1', 'x2', 'color', 'member', 'zip'];
const SMALL_NET = ['--epochs', '20', '--batch-size', '16', '--hidden', '32', '--lr', '0.01', '--categorical', 'zip'];

interface Model {
  bytes: Buffer;
  spec: MlpSpec;
  classNames?: string[];
  preprocessing: Preprocessing;
  training: Record<string, any>;
}

async function readModel(dir: string, folder: string): Promise<Model> {
  const bytes = await readFile(join(dir, folder, 'model.onnx'));
  const meta = decodeModel(bytes).metadata;
  const classNames = meta.get(META.classNames);
  return {
    bytes,
    spec: JSON.parse(meta.get(META.spec)!),
    ...(classNames ? { classNames: JSON.parse(classNames) } : {}),
    preprocessing: JSON.parse(meta.get(META.preprocessing)!),
    training: JSON.parse(meta.get(META.training)!),
  };
}

/** Runs model.onnx on raw records, each encoded by core's encodeRecord as a server would; returns its named output. */
async function runOnRecords(model: Model, records: readonly Row[], output: 'label' | 'prediction'): Promise<number[]> {
  const width = model.preprocessing.columns.length;
  const input = new Float32Array(records.length * width);
  records.forEach((r, i) => input.set(encodeRecord(model.preprocessing, r, `record ${i + 1}`), i * width));
  const session = await ort.InferenceSession.create(model.bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, [records.length, width]) });
    return Array.from(out[output]!.data as ArrayLike<number | bigint>, Number);
  } finally {
    await session.release();
  }
}

function printed(stdout: string, pattern: RegExp): RegExpExecArray {
  const m = pattern.exec(stdout);
  if (!m) throw new Error(`no line matching ${pattern} in:\n${stdout}`);
  return m;
}

const ACCURACY_LINE = /^test accuracy: (\d+\.\d{2})% \((\d+) rows\)$/m;
const REGRESSION_LINE = /^test mse: (\S+) {2}mae: (\S+) {2}r2: (-?\d+\.\d{4}) \((\d+) rows\)$/m;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('onnx-mlp train --data (built CLI): three tasks on a 600-row CSV', () => {
  let dir: string;
  let cls: CliResult;
  let reg: CliResult;
  let bin: CliResult;
  let jsonl: CliResult;

  beforeAll(async () => {
    dir = await makeTempDir();
    await writeCsv(dir, 'cls.csv', ROWS, [...FEATURES, 'label']);
    await writeCsv(dir, 'reg.csv', ROWS, [...FEATURES, 'y']);
    await writeCsv(dir, 'bin.csv', ROWS, [...FEATURES, 'bin']);
    // The same rows as JSON Lines: numbers as JSON numbers, missing values as null.
    const asJson = (r: Row) =>
      JSON.stringify({
        x1: r.x1 === '' ? null : Number(r.x1),
        x2: Number(r.x2),
        color: r.color === 'NA' ? null : r.color,
        member: r.member,
        zip: Number(r.zip),
        label: r.label,
      });
    await writeFile(join(dir, 'cls.jsonl'), `${ROWS.map(asJson).join('\n')}\n`);
    [cls, reg, bin, jsonl] = await Promise.all([
      runCli(['train', '--data', 'cls.csv', '--label', 'label', ...SMALL_NET, '--runs-dir', 'cls'], { cwd: dir }),
      runCli(['train', '--data', 'reg.csv', '--label', 'y', ...SMALL_NET, '--runs-dir', 'reg'], { cwd: dir }),
      runCli(['train', '--data', 'bin.csv', '--label', 'bin', ...SMALL_NET, '--runs-dir', 'bin', '--quiet'], { cwd: dir }),
      runCli(['train', '--data', 'cls.jsonl', '--label', 'label', ...SMALL_NET, '--runs-dir', 'jsonl', '--quiet'], { cwd: dir }),
    ]);
  });
  afterAll(() => removeDir(dir));

  it('multiclass: prints the data line, 20 epoch lines, test accuracy > 85% on 120 rows; model.onnx holds classes and preprocessing', async () => {
    expect(cls.stderr).toBe('');
    expect(cls.code).toBe(0);
    const out = lines(cls.stdout);
    expect(out[0]).toBe(
      'data: cls.csv (600 rows), multiclass label "label" (3 classes), 5 feature columns: stratified split with seed 42, 420 train / 60 validation / 120 test',
    );
    expect(
      out.filter((l) =>
        /^epoch +\d+\/20 {2}loss \d+\.\d{4} {2}acc \d\.\d{4} {2}val_loss \d+\.\d{4} {2}val_acc \d\.\d{4} {2}\d+\.\d{2}s$/.test(l),
      ),
    ).toHaveLength(20);
    const [, pct, rows] = printed(cls.stdout, ACCURACY_LINE);
    expect(Number(rows)).toBe(120);
    expect(Number(pct)).toBeGreaterThan(85);
    expect(out.at(-1)).toBe(`run folder: ${join('cls', '1')}`);

    const model = await readModel(dir, join('cls', '1'));
    expect(model.classNames).toEqual(['high', 'low', 'mid']);
    expect(model.preprocessing.columns.map((c) => [c.name, c.kind])).toEqual([
      ['x1', 'numeric'],
      ['x2', 'numeric'],
      ['color', 'categorical'],
      ['member', 'boolean'],
      ['zip', 'categorical'],
    ]);
    const [color, zip] = [model.preprocessing.columns[2]!, model.preprocessing.columns[4]!] as any[];
    expect(color.vocabulary).toEqual(['blue', 'green', 'red']);
    expect(zip.vocabulary).toEqual(['10', '20', '30']); // --categorical: codes, not a number
    // 2 numeric + 1 boolean + 3 colors + 3 zips = 9 features; 3 classes.
    expect(model.spec).toMatchObject({ inputs: 9, outputs: 3, task: 'multiclass', hidden: [32] });
    expect(model.training).toMatchObject({
      file: 'cls.csv',
      label: 'label',
      task: 'multiclass',
      features: FEATURES,
      trainRows: 420,
      valRows: 60,
      testRows: 120,
      seed: 42,
      epochs: 20,
      metric: 'accuracy',
    });
    const config = JSON.parse(await readFile(join(dir, 'cls', '1', 'config.json'), 'utf8'));
    expect(config.preprocessing).toEqual(model.preprocessing);
    expect(config.dataset).toMatchObject({
      file: 'cls.csv',
      label: 'label',
      categorical: ['zip'],
      scaling: 'standard',
      impute: 'mean',
      testSplit: 0.2,
    });
    expect(config.valSplit).toBe(0.1);
  });

  it('multiclass: model.onnx on the raw test records (encodeRecord) scores exactly the printed accuracy; statistics come from the train split only', async () => {
    const model = await readModel(dir, join('cls', '1'));
    const classes = ROWS.map((r) => model.classNames!.indexOf(r.label!));
    const split = documentedSplit(600, 60, 120, 42, classes);
    const test = split.test.map((i) => ROWS[i]!);
    const labels = await runOnRecords(model, test, 'label');
    const correct = labels.filter((l, i) => l === classes[split.test[i]!]).length;
    expect(correct / test.length).toBe(model.training.testAccuracy);
    expect(((correct / test.length) * 100).toFixed(2)).toBe(printed(cls.stdout, ACCURACY_LINE)[1]);

    // x2's center (standard scaling) and x1's imputed mean are the train rows' means, not the file's.
    const [x1, x2] = model.preprocessing.columns as NumericColumn[];
    const x2Train = mean(split.train.map((i) => Number(ROWS[i]!.x2)));
    const x2All = mean(ROWS.map((r) => Number(r.x2)));
    expect(x2!.center).toBeCloseTo(x2Train, 9);
    expect(Math.abs(x2Train - x2All)).toBeGreaterThan(0.01); // 0.07 here: far beyond the 1e-9 agreement above
    expect(Math.abs(x2!.center - x2All)).toBeGreaterThan(0.01);
    const x1Train = mean(
      split.train
        .map((i) => ROWS[i]!.x1)
        .filter((v) => v !== '')
        .map(Number),
    );
    expect(x1!.impute).toBeCloseTo(x1Train, 9);
    expect(model.preprocessing.columns[3]).toMatchObject({ kind: 'boolean', scaling: 'none' });
  });

  it("regression: R² > 0.9 on the test split, and model.onnx's predictions on raw records give the printed MSE and R²", async () => {
    expect(reg.stderr).toBe('');
    expect(reg.code).toBe(0);
    // No accuracy column for regression.
    expect(
      lines(reg.stdout).filter((l) => /^epoch +\d+\/20 {2}loss \d+\.\d{4} {2}val_loss \d+\.\d{4} {2}\d+\.\d{2}s$/.test(l)),
    ).toHaveLength(20);
    const [, mse, , r2, rows] = printed(reg.stdout, REGRESSION_LINE);
    expect(Number(rows)).toBe(120);
    expect(Number(r2)).toBeGreaterThan(0.9);
    const model = await readModel(dir, join('reg', '1'));
    expect(model.classNames).toBeUndefined();
    expect(model.spec).toMatchObject({ inputs: 9, outputs: 1, task: 'regression' });
    expect(model.training).toMatchObject({ label: 'y', task: 'regression', trainRows: 420, valRows: 60, testRows: 120, metric: 'mse' });
    const split = documentedSplit(600, 60, 120, 42); // random, not stratified
    const test = split.test.map((i) => ROWS[i]!);
    const report = regressionReport(
      test.map((r) => Number(Math.fround(Number(r.y)))),
      await runOnRecords(model, test, 'prediction'),
    );
    expect(report.r2).toBeCloseTo(model.training.testR2, 12);
    expect(report.mse.toPrecision(4)).toBe(mse);
    expect(report.r2.toFixed(4)).toBe(r2);
  });

  it('binary: one output (sigmoid), classes ["no", "yes"], accuracy > 85%', async () => {
    expect(bin.stderr).toBe('');
    expect(bin.code).toBe(0);
    expect(Number(printed(bin.stdout, ACCURACY_LINE)[1])).toBeGreaterThan(85);
    const model = await readModel(dir, join('bin', '1'));
    expect(model.spec).toMatchObject({ outputs: 1, task: 'binary' });
    expect(model.classNames).toEqual(['no', 'yes']);
    expect(model.training).toMatchObject({ task: 'binary', label: 'bin' });
  });

  it('the same rows as JSON Lines (numbers as numbers, null for missing) train the very same model', async () => {
    expect(jsonl.stderr).toBe('');
    expect(jsonl.code).toBe(0);
    expect(printed(jsonl.stdout, ACCURACY_LINE)[1]).toBe(printed(cls.stdout, ACCURACY_LINE)[1]);
    const a = await readModel(dir, join('cls', '1'));
    const b = await readModel(dir, join('jsonl', '1'));
    expect(b.preprocessing).toEqual(a.preprocessing);
    const weights = (m: Model) => [...decodeModel(m.bytes).graph.initializers].map(([n, t]) => [n, Array.from(t.data as Float32Array)]);
    expect(weights(b)).toEqual(weights(a));
  });
});

describe('onnx-mlp train --data with separate --val and --test files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    const cols = [...FEATURES, 'label'];
    await writeCsv(dir, 'train.csv', ROWS.slice(0, 400), cols);
    await writeCsv(dir, 'val.csv', ROWS.slice(400, 480), cols);
    // A test file with its columns in another order and an extra column: columns are matched by name.
    await writeCsv(
      dir,
      'test.csv',
      ROWS.slice(480).map((r) => ({ ...r, note: 'x' })),
      ['label', 'note', ...FEATURES.slice().reverse()],
    );
  });
  afterAll(() => removeDir(dir));

  it('fits the statistics on the --data file alone and reports on the given files', async () => {
    const run = await runCli(
      [
        'train',
        '--data',
        'train.csv',
        '--val',
        'val.csv',
        '--test',
        'test.csv',
        '--label',
        'label',
        ...SMALL_NET,
        '--epochs',
        '10',
        '--quiet',
        '--scaling',
        'minmax',
        '--impute',
        'median',
        '--missing-category',
      ],
      { cwd: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(Number(printed(run.stdout, ACCURACY_LINE)[2])).toBe(120);
    expect(Number(printed(run.stdout, ACCURACY_LINE)[1])).toBeGreaterThan(80);
    const model = await readModel(dir, join('runs', '1'));
    expect(model.training).toMatchObject({
      trainRows: 400,
      valRows: 80,
      testRows: 120,
      valFile: 'val.csv',
      testFile: 'test.csv',
      split: 'files',
    });
    const x2 = ROWS.slice(0, 400).map((r) => Number(r.x2));
    expect(model.preprocessing.columns[1]).toMatchObject({
      scaling: 'minmax',
      center: Math.min(...x2),
      scale: Math.max(...x2) - Math.min(...x2),
    });
    const x1 = ROWS.slice(0, 400)
      .map((r) => r.x1)
      .filter((v) => v !== '')
      .map(Number)
      .sort((a, b) => a - b);
    const median = x1.length % 2 === 0 ? (x1[x1.length / 2 - 1]! + x1[x1.length / 2]!) / 2 : x1[(x1.length - 1) / 2]!;
    expect(model.preprocessing.columns[0]).toMatchObject({ imputeStrategy: 'median', impute: median });
    expect(model.preprocessing.columns[2]).toMatchObject({
      kind: 'categorical',
      vocabulary: ['blue', 'green', 'red', '<missing>'],
      missing: 'category',
    });
  });
});

describe('onnx-mlp train --data rejects bad input with one line, exit 1, and no run folder', () => {
  const FILES: Record<string, string> = {
    'ragged.csv': 'a,b,y\n1,2,x\n3,4,5,6\n',
    'empty.csv': '',
    'header-only.csv': 'a,b,y\n',
    'all-missing.csv': `a,b,y\n${Array.from({ length: 20 }, (_, i) => `${i},,${i % 2 ? 'x' : 'z'}`).join('\n')}\n`,
    'one-class.csv': `a,b,y\n${Array.from({ length: 20 }, (_, i) => `${i},${i * 2},x`).join('\n')}\n`,
    'ok.csv': `a,b,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 3},${i % 2 ? 'x' : 'z'}`).join('\n')}\n`,
    // Column a is numbers in ok.csv; here line 4 has text in it.
    'bad-val.csv': 'a,b,y\n1,0,x\n2,1,z\nseven,2,x\n4,0,z\n',
    'missing-label.jsonl': '{"a": 1, "b": 2}\n{"a": 2, "b": 3}\n',
  };
  it.concurrent.for([
    {
      args: ['--data', 'ragged.csv', '--label', 'y'],
      message: /^onnx-mlp: ragged\.csv, line 3: expected 3 columns \(as in the header\), found 4$/,
    },
    { args: ['--data', 'empty.csv', '--label', 'y'], message: /^onnx-mlp: empty\.csv: .*empty/ },
    { args: ['--data', 'header-only.csv', '--label', 'y'], message: /^onnx-mlp: header-only\.csv, line 2: has a header but no data rows$/ },
    {
      args: ['--data', 'ok.csv', '--label', 'nope'],
      message: /^onnx-mlp: --label nope: not a column of ok\.csv; the columns are "a", "b", "y"$/,
    },
    { args: ['--data', 'ok.csv'], message: /^onnx-mlp: --label is required with --data: .*ok\.csv has the columns "a", "b", "y"/ },
    {
      args: ['--data', 'missing-label.jsonl', '--label', 'y'],
      message: /^onnx-mlp: --label y: not a column of missing-label\.jsonl; the columns are "a", "b"$/,
    },
    {
      args: ['--data', 'all-missing.csv', '--label', 'y'],
      message: /^onnx-mlp: all-missing\.csv, column "b": is entirely missing .*--exclude b/,
    },
    {
      args: ['--data', 'one-class.csv', '--label', 'y'],
      message: /^onnx-mlp: one-class\.csv: label column "y" has a single class \("x"\)/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--val', 'bad-val.csv'],
      message: /^onnx-mlp: bad-val\.csv, line 4, column "a": "seven" is not a number$/,
    },
    { args: ['--data', 'nothere.csv', '--label', 'y'], message: /^onnx-mlp: nothere\.csv: .*no such file/ },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--features', 'a', '--exclude', 'b'],
      message: /^onnx-mlp: --exclude b: cannot be combined with --features/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--features', 'a,zz'],
      message: /^onnx-mlp: --features a,zz: "zz" is not a column of ok\.csv/,
    },
    { args: ['--data', 'ok.csv', '--label', 'y', '--features', 'a,y'], message: /^onnx-mlp: --features a,y: "y" is the label column$/ },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--categorical', 'q'],
      message: /^onnx-mlp: --categorical q: "q" is not a feature column/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--task', 'regression'],
      message: /^onnx-mlp: ok\.csv, line 2, label column "y": "z" is not a number \(regression\)$/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'a', '--task', 'binary'],
      message: /^onnx-mlp: --task binary: label column "a" has 40 classes$/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--task', 'tree'],
      message: /^onnx-mlp: --task tree: must be one of auto, multiclass, binary, regression$/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--scaling', 'log'],
      message: /^onnx-mlp: --scaling log: must be one of standard, minmax, none$/,
    },
    { args: ['--data', 'ok.csv', '--label', 'y', '--impute', 'mode'], message: /^onnx-mlp: --impute mode: must be one of mean, median$/ },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--test-split', '1.5'],
      message: /^onnx-mlp: --test-split 1\.5: must be a number in \(0, 1\)$/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--val-split', '0.5', '--test-split', '0.5'],
      message: /^onnx-mlp: --val-split 0\.5: with --test-split 0\.5 leaves no rows to train on$/,
    },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--val', 'ok.csv', '--val-split', '0.2'],
      message: /^onnx-mlp: --val-split 0\.2: cannot be combined with --val FILE$/,
    },
    { args: ['--label', 'y'], message: /^onnx-mlp: --label y: needs --data/ },
    { args: ['--test-split', '0.3'], message: /^onnx-mlp: --test-split 0\.3: needs --data/ },
  ])('train $args', async ({ args, message }, { expect }) => {
    const { run, entries } = await trainInFreshFolder(FILES, args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(entries).toEqual(Object.keys(FILES).sort()); // no runs/
  });
});
