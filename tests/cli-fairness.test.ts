import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type Model } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { mnistTestSplit } from './helpers/mnist-test-split.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { expectOneErrorLine } from './helpers/cli-expect.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// train/evaluate --sensitive: the per-group figures must be those computed here, by plain counting,
// from the model's own predictions (`predict`) on a test file whose rows and groups are known.

const FAIRNESS_KEY = 'onnx_mlp.fairness';
const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));

/** Row i of a table where `sex` shifts the score (so the groups differ), `region` cycles A/B/C. */
function row(i: number): { x: number; score: number; sex: string; region: string; label: number; y: number } {
  const sex = i % 2 === 0 ? 'F' : 'M';
  const x = ((i * 37) % 100) / 50 - 1;
  const score = ((i * 53) % 100) / 50 - 1 + (sex === 'M' ? 0.5 : -0.3);
  return { x, score, sex, region: 'ABC'[i % 3]!, label: x + score > 0.2 ? 1 : 0, y: 2 * x + score };
}

function csv(rows: readonly ReturnType<typeof row>[], target: 'label' | 'y'): string {
  return `x,score,sex,region,${target}\n${rows.map((r) => `${r.x},${r.score.toFixed(3)},${r.sex},${r.region},${r[target]}`).join('\n')}\n`;
}

const TRAIN_ROWS = Array.from({ length: 240 }, (_, i) => row(i));
// The test file: 60 rows, and one of group Z whose label is 0, so Z has no positives: no TPR.
const TEST_ROWS = [...Array.from({ length: 60 }, (_, i) => row(1000 + i)), { ...row(7), sex: 'Z', label: 0 }];
const SMALL = ['--epochs', '3', '--hidden', '8', '--seed', '3'];

/** Size, accuracy, selection rate, TPR and FPR of class `positive` per group, counted by hand. */
function handFigures(truth: readonly string[], predicted: readonly string[], groups: readonly string[], positive = '1') {
  const out = new Map<string, { size: number; accuracy: number; selectionRate: number; tpr: number | null; fpr: number | null }>();
  for (const g of [...new Set(groups)].sort()) {
    const rows = groups.flatMap((h, i) => (h === g ? [i] : []));
    const positives = rows.filter((i) => truth[i] === positive);
    const negatives = rows.filter((i) => truth[i] !== positive);
    const count = (list: number[], test: (i: number) => boolean) => list.filter(test).length;
    out.set(g, {
      size: rows.length,
      accuracy: count(rows, (i) => truth[i] === predicted[i]) / rows.length,
      selectionRate: count(rows, (i) => predicted[i] === positive) / rows.length,
      tpr: positives.length === 0 ? null : count(positives, (i) => predicted[i] === positive) / positives.length,
      fpr: negatives.length === 0 ? null : count(negatives, (i) => predicted[i] === positive) / negatives.length,
    });
  }
  return out;
}

interface GroupJson {
  values: string[];
  size: number;
  accuracy: number;
  classes: {
    class: string;
    selectionRate: number;
    truePositiveRate: number | null;
    falsePositiveRate: number | null;
    reasons: Record<string, string>;
  }[];
}
interface FairnessJson {
  kind: string;
  columns: string[];
  data: string;
  threshold: number;
  warnings: string[];
  groups: GroupJson[];
  disparities: {
    class: string;
    demographicParityDifference: number;
    equalizedOddsDifference: number | null;
    truePositiveRateDifference: number | null;
  }[];
}

function expectHandFigures(f: FairnessJson, hand: ReturnType<typeof handFigures>): void {
  expect(f.groups.map((g) => g.values.join(', '))).toEqual([...hand.keys()]);
  for (const g of f.groups) {
    const h = hand.get(g.values.join(', '))!;
    const c = g.classes[0]!;
    expect([g.size, g.accuracy, c.selectionRate, c.truePositiveRate, c.falsePositiveRate]).toEqual([
      h.size,
      h.accuracy,
      h.selectionRate,
      h.tpr,
      h.fpr,
    ]);
  }
  // Fairlearn's demographic_parity_difference: max - min selection rate over the groups.
  const rates = [...hand.values()].map((h) => h.selectionRate);
  expect(f.disparities[0]!.demographicParityDifference).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
}

describe('train and evaluate --sensitive', () => {
  let dir: string;
  let trained: CliResult;
  let model: Model;
  let predicted: string[];
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });
  const path = (name: string) => join(dir, name);
  const truth = TEST_ROWS.map((r) => String(r.label));
  const sex = TEST_ROWS.map((r) => r.sex);

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-fairness-');
    await writeFile(path('train.csv'), csv(TRAIN_ROWS, 'label'));
    await writeFile(path('test.csv'), csv(TEST_ROWS, 'label'));
    const args = ['train', '--data', 'train.csv', '--test', 'test.csv', '--label', 'label', '--exclude', 'sex', '--sensitive', 'sex'];
    trained = await cli([...args, ...SMALL, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    model = decodeModel(await readFile(path('runs/1/model.onnx')));
    const predict = await cli(['predict', 'runs/1/model.onnx', '--data', 'test.csv']);
    expect(predict.code, predict.stderr).toBe(0);
    predicted = predict.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    expect(predicted).toHaveLength(TEST_ROWS.length);
  }, 240_000);
  afterAll(() => removeDir(dir));

  it("train: the test split's per-group figures equal those counted by hand from the model's predictions", () => {
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { event: string; fairness: FairnessJson };
    expect(end.event).toBe('end');
    expect(end.fairness).toMatchObject({ kind: 'classification', columns: ['sex'], data: 'the test split', threshold: 0.1 });
    expectHandFigures(end.fairness, handFigures(truth, predicted, sex));
    // The excluded column is no input of the model, yet it grouped the rows.
    const preprocessing = JSON.parse(model.metadata.get(META.preprocessing)!) as { columns: { name: string }[] };
    expect(preprocessing.columns.map((c) => c.name)).toEqual(['x', 'score', 'region']);
  });

  it('a one-row group without positives has no TPR: null with its reason, left out of the TPR difference, never NaN', () => {
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { fairness: FairnessJson };
    const z = end.fairness.groups.find((g) => g.values[0] === 'Z')!;
    expect(z.size).toBe(1);
    expect(z.classes[0]!.truePositiveRate).toBeNull();
    expect(z.classes[0]!.reasons).toEqual({ truePositiveRate: 'no rows of class "1" in this group' });
    const hand = handFigures(truth, predicted, sex);
    const tprs = ['F', 'M'].map((g) => hand.get(g)!.tpr!);
    expect(end.fairness.disparities[0]!.truePositiveRateDifference).toBeCloseTo(Math.max(...tprs) - Math.min(...tprs), 12);
    expect(trained.stdout).not.toMatch(/NaN/);
  });

  it('model.onnx stores the same figures under onnx_mlp.fairness, covered by the integrity digest', async () => {
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { fairness: FairnessJson };
    const stored = model.metadata.get(FAIRNESS_KEY);
    expect(JSON.parse(stored!)).toEqual(end.fairness);
    expect((await cli(['verify', 'runs/1/model.onnx'])).code).toBe(0);
    const edited = stored!.replace(/"size":1\b/, '"size":2');
    expect(edited).not.toBe(stored);
    await writeFile(path('edited.onnx'), encodeModel({ ...model, metadata: new Map([...model.metadata, [FAIRNESS_KEY, edited]]) }));
    expectOneErrorLine(await cli(['verify', 'edited.onnx']), /^onnx-mlp: edited\.onnx: its metadata changed since it was sealed/);
  });

  it('evaluate: the same figures on the same file, the table in text, and groups of two columns', async () => {
    const json = await cli(['evaluate', 'runs/1/model.onnx', '--data', 'test.csv', '--sensitive', 'sex', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { fairness: FairnessJson };
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { fairness: FairnessJson };
    expect(report.fairness.groups).toEqual(end.fairness.groups);
    expect(report.fairness.data).toBe('test.csv');

    const two = await cli(['evaluate', 'runs/1/model.onnx', '--data', 'test.csv', '--sensitive', 'sex,region', '--json']);
    const f = (JSON.parse(two.stdout) as { fairness: FairnessJson }).fairness;
    expectHandFigures(
      f,
      handFigures(
        truth,
        predicted,
        TEST_ROWS.map((r) => `${r.sex}, ${r.region}`),
      ),
    );

    const text = await cli(['evaluate', 'runs/1/model.onnx', '--data', 'test.csv', '--sensitive', 'sex']);
    expect(text.code).toBe(0);
    const h = handFigures(truth, predicted, sex).get('F')!;
    const fixed = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
    expect(text.stdout).toContain('per-group metrics by "sex" on test.csv (61 rows, 3 groups)');
    expect(text.stdout).toMatch(
      new RegExp(`^F +${h.size} +${fixed(h.accuracy)} +${fixed(h.selectionRate)} +${fixed(h.tpr)} +${fixed(h.fpr)}$`, 'm'),
    );
    expect(text.stdout).toMatch(/^Z +1 +\S+ +\S+ +n\/a +\S+$/m);
    expect(text.stdout).toContain('n/a: "Z" tpr: no rows of class "1" in this group');
  });

  it('warns exactly when a difference exceeds --fairness-threshold', async () => {
    const end = JSON.parse(trained.stdout.trim().split('\n').at(-1)!) as { fairness: FairnessJson };
    const dp = end.fairness.disparities[0]!.demographicParityDifference;
    const eo = end.fairness.disparities[0]!.equalizedOddsDifference!;
    expect(dp).toBeGreaterThan(0);
    const warnings = async (threshold: number) => {
      const run = await cli([
        'evaluate',
        'runs/1/model.onnx',
        '--data',
        'test.csv',
        '--sensitive',
        'sex',
        '--fairness-threshold',
        String(threshold),
      ]);
      return run.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    };
    const below = await warnings(dp - 1e-6);
    expect(below).toContain(
      `warning: demographic parity difference ${dp.toFixed(4)} between the groups of "sex" (class "1") exceeds --fairness-threshold ${dp - 1e-6}`,
    );
    expect(below.some((w) => w.includes('equalized odds'))).toBe(eo > dp - 1e-6);
    expect((await warnings(Math.max(dp, eo))).length).toBe(0);
    // train's default threshold, 0.1: its warnings on stderr (--json) are the ones its figures call for.
    const expected = [dp > 0.1 ? 'demographic parity' : null, eo > 0.1 ? 'equalized odds' : null].filter((m) => m !== null);
    const stderrWarnings = trained.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(stderrWarnings.map((w) => /warning: (.*?) difference/.exec(w)![1])).toEqual(expected);
    expect(end.fairness.warnings).toHaveLength(expected.length);
  });

  it('a sensitive column that does not exist: one line naming it and the columns, nothing written', async () => {
    const run = await cli(['train', '--data', 'train.csv', '--label', 'label', '--sensitive', 'sex,race', '--runs-dir', 'none', ...SMALL]);
    expectOneErrorLine(
      run,
      /^onnx-mlp: --sensitive sex,race: "race" is not a column of train\.csv; the columns are "x", "score", "sex", "region", "label"$/,
    );
    expect(existsSync(path('none'))).toBe(false);
    const evaluate = await cli(['evaluate', 'runs/1/model.onnx', '--data', 'test.csv', '--sensitive', 'race']);
    expectOneErrorLine(
      evaluate,
      /^onnx-mlp: --sensitive race: "race" is not a column of test\.csv; the columns are "x", "score", "sex", "region", "label"$/,
    );
  });

  it('refuses --sensitive without --data or with --stream, and --fairness-threshold without --sensitive', async () => {
    expectOneErrorLine(await cli(['train', '--sensitive', 'sex']), /^onnx-mlp: --sensitive sex: needs --data/);
    expectOneErrorLine(
      await cli(['train', '--data', 'train.csv', '--label', 'label', '--sensitive', 'sex', '--stream']),
      /^onnx-mlp: --sensitive sex: cannot be combined with --stream$/,
    );
    expectOneErrorLine(
      await cli(['train', '--data', 'train.csv', '--label', 'label', '--fairness-threshold', '0.2']),
      /^onnx-mlp: --fairness-threshold 0.2: only --sensitive uses it$/,
    );
    expectOneErrorLine(
      await cli(['evaluate', 'runs/1/model.onnx', '--data', 'test.csv', '--sensitive', 'sex', '--fairness-threshold', '-1']),
      /^onnx-mlp: --fairness-threshold -1: must be a number >= 0$/,
    );
  });

  it('plain train prints the table and its warnings; --resume keeps --sensitive', async () => {
    const args = ['train', '--data', 'train.csv', '--test', 'test.csv', '--label', 'label', '--exclude', 'sex', '--sensitive', 'sex'];
    const plain = await cli([...args, '--epochs', '1', '--hidden', '8', '--seed', '3', '--fairness-threshold', '0']);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.split('\n');
    const table = lines.indexOf('per-group metrics by "sex" on the test split (61 rows, 3 groups)');
    expect(table).toBeGreaterThan(lines.findIndex((l) => l.startsWith('test accuracy: ')));
    expect(lines[table + 2]).toMatch(/^group +size +accuracy +selection rate +tpr +fpr$/);
    const dp = Number(/^demographic parity +difference (\S+)/m.exec(plain.stdout)![1]);
    expect(dp).toBeGreaterThan(0);
    expect(lines).toContain(
      `warning: demographic parity difference ${dp.toFixed(4)} between the groups of "sex" (class "1") exceeds --fairness-threshold 0`,
    );
    const folder = /^run folder: (.*)$/m.exec(plain.stdout)![1]!;
    const resumed = await cli(['train', '--resume', folder, '--epochs', '2', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const stored = JSON.parse(decodeModel(await readFile(join(dir, folder, 'model.onnx'))).metadata.get(FAIRNESS_KEY)!) as FairnessJson;
    expect(stored).toMatchObject({ columns: ['sex'], threshold: 0 });
    expect(stored.groups.map((g) => g.size)).toEqual([30, 30, 1]);
  });
});

describe('regression --sensitive', () => {
  let dir: string;
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });
  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-fairness-reg-');
    await writeFile(join(dir, 'train.csv'), csv(TRAIN_ROWS, 'y'));
    await writeFile(join(dir, 'test.csv'), csv(TEST_ROWS, 'y'));
  });
  afterAll(() => removeDir(dir));

  it("per-group MAE and mean prediction equal those computed by hand from the model's predictions", async () => {
    const run = await cli([
      'train',
      '--data',
      'train.csv',
      '--test',
      'test.csv',
      '--label',
      'y',
      '--task',
      'regression',
      '--sensitive',
      'sex',
      ...SMALL,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const f = (
      JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
        fairness: {
          groups: { values: string[]; size: number; mae: number; meanPrediction: number[] }[];
          maeDifference: number;
          warnings: string[];
        };
      }
    ).fairness;
    const predict = await cli(['predict', 'runs/1/model.onnx', '--data', 'test.csv']);
    const header = predict.stdout.split('\n')[0]!.split(',');
    const column = header.indexOf('prediction');
    expect(column, predict.stdout.slice(0, 200)).toBeGreaterThanOrEqual(0);
    const predictions = predict.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[column]));
    for (const g of f.groups) {
      const rows = TEST_ROWS.flatMap((r, i) => (r.sex === g.values[0] ? [i] : []));
      const mae = rows.reduce((a, i) => a + Math.abs(TEST_ROWS[i]!.y - predictions[i]!), 0) / rows.length;
      const mean = rows.reduce((a, i) => a + predictions[i]!, 0) / rows.length;
      expect(g.size).toBe(rows.length);
      // predict prints 8 significant digits; the model's float32 outputs agree to that.
      expect(g.mae).toBeCloseTo(mae, 5);
      expect(g.meanPrediction[0]).toBeCloseTo(mean, 5);
    }
    const maes = f.groups.map((g) => g.mae);
    expect(f.maeDifference).toBeCloseTo(Math.max(...maes) - Math.min(...maes), 12);
    expect(f.warnings).toEqual([]);
  }, 120_000);
});

describe('evaluate --sensitive on a multiclass model without preprocessing', () => {
  let dir: string;
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });
  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-fairness-mnist-');
  });
  afterAll(() => removeDir(dir));

  it('every class one-vs-rest, counted by hand; the sensitive column is not taken as a pixel', async () => {
    const test = await mnistTestSplit();
    const rows = 200;
    const pixels = (i: number) => Array.from(test.features.subarray(i * 784, (i + 1) * 784), String);
    const header = Array.from({ length: 784 }, (_, i) => `px${i}`);
    const pen = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 'stylus' : 'finger'));
    const truth = Array.from({ length: rows }, (_, i) => String(test.targets[i]));
    const withPen = [[...header, 'pen', 'label'].join(','), ...truth.map((t, i) => [...pixels(i), pen[i], t].join(','))];
    const without = [[...header, 'label'].join(','), ...truth.map((t, i) => [...pixels(i), t].join(','))];
    await writeFile(join(dir, 'pen.csv'), `${withPen.join('\n')}\n`);
    await writeFile(join(dir, 'plain.csv'), `${without.join('\n')}\n`);
    const predict = await cli(['predict', MNIST_MODEL, '--data', 'plain.csv', '--label', 'label']);
    expect(predict.code, predict.stderr).toBe(0);
    const predicted = predict.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);

    const run = await cli(['evaluate', MNIST_MODEL, '--data', 'pen.csv', '--sensitive', 'pen', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const f = (JSON.parse(run.stdout) as { fairness: FairnessJson }).fairness;
    expect(f.groups.map((g) => [g.values[0], g.size])).toEqual([
      ['finger', 133],
      ['stylus', 67],
    ]);
    expect(f.disparities.map((d) => d.class)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (let c = 0; c < 10; c++) {
      const hand = handFigures(truth, predicted, pen, String(c));
      for (const g of f.groups) {
        const h = hand.get(g.values[0]!)!;
        const k = g.classes[c]!;
        expect([g.accuracy, k.selectionRate, k.truePositiveRate, k.falsePositiveRate], `class ${c}`).toEqual([
          h.accuracy,
          h.selectionRate,
          h.tpr,
          h.fpr,
        ]);
      }
      const rates = [...hand.values()].map((h) => h.selectionRate);
      expect(f.disparities[c]!.demographicParityDifference).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
    }
    const text = await cli(['evaluate', MNIST_MODEL, '--data', 'pen.csv', '--sensitive', 'pen']);
    expect(text.stdout).toMatch(/^class "7" \(one-vs-rest\)\ngroup +selection rate +tpr +fpr\n\(all rows\) /m);
  }, 120_000);
});
