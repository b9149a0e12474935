import { pseudoRandomBytes } from './helpers/random-bytes.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTrainingArtifacts,
  classificationReport,
  encodeModel,
  mlpSpec,
  optimizerConfig,
  regressionReport,
  type ClassificationReport,
} from '@onnx-mlp/core';
import { DataType, GraphBuilder, makeModel } from '@onnx-mlp/core/ir';
import { runCli } from './helpers/run-cli.js';
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
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** `evaluate ... --json`: exit 0, nothing on stderr, one JSON object on stdout. */
async function evaluateJson(args: string[], cwd: string): Promise<Record<string, any>> {
  const run = await runCli(['evaluate', ...args, '--json'], { cwd });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

/** The report a classifier's own outputs give, computed here from onnxruntime-node's run. */
async function expectedClassification(fixture: TabularFixture, records: readonly TextRecord[]): Promise<ClassificationReport> {
  const width = fixture.preprocessing.columns.length;
  const out = await runModel(fixture.bytes, rawInputs(fixture.preprocessing, records), width);
  const classes = fixture.classNames!;
  const truth = Int32Array.from(records, (r) => classes.indexOf(r[fixture.label]!));
  const predicted = Int32Array.from(out.label as BigInt64Array, Number);
  const probabilities = out.probabilities as Float32Array;
  const positive = Float32Array.from({ length: records.length }, (_, i) => probabilities[i * classes.length + 1]!);
  return classificationReport(truth, predicted, classes.length, classes.length === 2 ? positive : undefined);
}

function expectScores(actual: Record<string, number>, expected: { precision: number; recall: number; f1: number; support: number }): void {
  expect(actual.precision).toBeCloseTo(expected.precision, 12);
  expect(actual.recall).toBeCloseTo(expected.recall, 12);
  expect(actual.f1).toBeCloseTo(expected.f1, 12);
  expect(actual.support).toBe(expected.support);
}

function expectReport(r: Record<string, any>, expected: ClassificationReport, classes: readonly string[]): void {
  expect(r.classes).toEqual(classes);
  expect(r.accuracy).toBeCloseTo(expected.accuracy, 12);
  expect(r.confusion).toEqual(expected.confusion);
  expect(r.perClass.map((s: any) => s.class)).toEqual(classes);
  r.perClass.forEach((s: any, c: number) => expectScores(s, expected.perClass[c]!));
  expectScores(r.macro, expected.macro);
  expectScores(r.weighted, expected.weighted);
}

describe('onnx-mlp evaluate', () => {
  let dir: string;
  let records: TextRecord[];
  let multiclass: TabularFixture;
  let binary: TabularFixture;
  let regression: TabularFixture;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-evaluate-');
    records = syntheticRecords(400);
    [multiclass, binary, regression] = await Promise.all([
      trainTabularModel(records, 'multiclass'),
      trainTabularModel(records, 'binary'),
      trainTabularModel(records, 'regression'),
    ]);
    await Promise.all([
      writeFile(path('multiclass.onnx'), multiclass.bytes),
      writeFile(path('binary.onnx'), binary.bytes),
      writeFile(path('regression.onnx'), regression.bytes),
      writeFile(path('data.csv'), toCsv(records)),
      // The same rows as JSON Lines with typed cells: numbers, booleans and null for missing values.
      writeFile(
        path('data.jsonl'),
        records
          .map((r) =>
            JSON.stringify({
              id: Number(r.id),
              city: r.city || null,
              income: r.income === '' ? null : Number(r.income),
              note: r.note,
              member: ['true', 'yes', '1'].includes(r.member!),
              age: r.age === 'NA' ? null : Number(r.age),
              species: r.species,
              approved: r.approved,
              price: Number(r.price),
            }),
          )
          .join('\n'),
      ),
    ]);
  });
  afterAll(() => removeDir(dir));

  it("a classifier with preprocessing: accuracy, per-class P/R/F1, averages and confusion matrix equal core's report of the model's own outputs", async () => {
    const expected = await expectedClassification(multiclass, records);
    const r = await evaluateJson([path('multiclass.onnx'), '--data', path('data.csv')], dir);
    expect(r).toMatchObject({ task: 'multiclass', rows: 400, label: ['species'], labelSource: 'model' });
    expectReport(r, expected, ['low', 'mid', 'high']);
    expect(r.correct).toBe(Math.round(expected.accuracy * 400));
    expect(r.rocAuc).toBeUndefined();
    // The labels are not all one class, and the model is not trivially right or wrong on them.
    expect(expected.confusion.every((row) => row.some((n) => n > 0))).toBe(true);

    // The same rows as JSON Lines (numbers, booleans, nulls) score the same.
    const fromJsonl = await evaluateJson([path('multiclass.onnx'), '--data', path('data.jsonl')], dir);
    expect({ ...fromJsonl, data: null }).toEqual({ ...r, data: null });
  });

  it('prints the text report: accuracy, named classes, averages and the labelled confusion matrix', async () => {
    const expected = await expectedClassification(multiclass, records);
    const run = await runCli(['evaluate', path('multiclass.onnx'), '--data', path('data.csv')], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const correct = expected.confusion.reduce((a, row, c) => a + row[c]!, 0);
    expect(run.stdout).toContain(`accuracy  ${expected.accuracy.toFixed(4)} (${correct} of 400)`);
    expect(run.stdout).toContain('label column "species"');
    const lines = run.stdout.split('\n');
    ['low', 'mid', 'high'].forEach((name, c) => {
      const s = expected.perClass[c]!;
      const row = lines.find((l) => l.startsWith(`${name} `) && l.includes('.'))!;
      expect(row.split(/\s+/)).toEqual([name, s.precision.toFixed(4), s.recall.toFixed(4), s.f1.toFixed(4), String(s.support)]);
    });
    expect(
      lines
        .find((l) => l.startsWith('macro avg'))!
        .split(/\s+/)
        .slice(2),
    ).toEqual([expected.macro.precision, expected.macro.recall, expected.macro.f1].map((x) => x.toFixed(4)).concat('400'));
    const at = lines.findIndex((l) => l.startsWith('true \\ predicted'));
    expect(lines[at]!.split(/\s+/).slice(3)).toEqual(['low', 'mid', 'high']);
    const matrix = lines.slice(at + 1, at + 4).map((l) => l.split(/\s+/));
    expect(matrix.map((cells) => cells[0])).toEqual(['low', 'mid', 'high']);
    expect(matrix.map((cells) => cells.slice(1).map(Number))).toEqual(expected.confusion);
  });

  it('a binary model: ROC-AUC of class index 1 ("yes") from its probability, and --label picks the column', async () => {
    const expected = await expectedClassification(binary, records);
    const r = await evaluateJson([path('binary.onnx'), '--data', path('data.csv'), '--label', 'approved'], dir);
    expect(r).toMatchObject({ task: 'binary', rows: 400, label: ['approved'], labelSource: 'option', positiveClass: 'yes' });
    expectReport(r, expected, ['no', 'yes']);
    expect(r.rocAuc).toBeCloseTo(expected.rocAuc!, 12);
    expect(r.rocAuc).toBeGreaterThan(0.5);
    const text = await runCli(['evaluate', path('binary.onnx'), '--data', path('data.csv'), '--label', 'approved'], { cwd: dir });
    expect(text.stdout).toContain(`roc-auc   ${expected.rocAuc!.toFixed(4)} (positive class "yes"`);
  });

  it("a regression model: MSE, MAE and R² equal core's regressionReport of the model's predictions", async () => {
    const width = regression.preprocessing.columns.length;
    const out = await runModel(regression.bytes, rawInputs(regression.preprocessing, records), width);
    const expected = regressionReport(
      Float32Array.from(records, (r) => Number(r.price)),
      out.prediction as Float32Array,
    );
    const r = await evaluateJson([path('regression.onnx'), '--data', path('data.csv'), '--label', 'price'], dir);
    expect(r).toMatchObject({ task: 'regression', rows: 400, label: ['price'] });
    expect(r.mse).toBeCloseTo(expected.mse, 10);
    expect(r.mae).toBeCloseTo(expected.mae, 10);
    expect(r.r2).toBeCloseTo(expected.r2, 10);
    const text = await runCli(['evaluate', path('regression.onnx'), '--data', path('data.csv'), '--label', 'price'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^mse +${expected.mse.toFixed(6)}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^r2 +${expected.r2.toFixed(6)}$`, 'm'));
  });

  it('a model without preprocessing (models/mnist-mlp.onnx): 784 pixel columns + label, scored like its own outputs', async () => {
    const test = await mnistTestSplit();
    const rows = 300;
    const header = [...Array.from({ length: 784 }, (_, i) => `px${i}`), 'label'];
    const lines = [header.join(',')];
    for (let i = 0; i < rows; i++) {
      lines.push([...Array.from(test.features.subarray(i * 784, (i + 1) * 784), String), String(test.targets[i])].join(','));
    }
    await writeFile(path('digits.csv'), `${lines.join('\n')}\n`);
    const out = await runModel(await readFile(MNIST_MODEL), test.features.slice(0, rows * 784), 784);
    const expected = classificationReport(test.targets.subarray(0, rows), Int32Array.from(out.label as BigInt64Array, Number), 10);
    const r = await evaluateJson([MNIST_MODEL, '--data', path('digits.csv')], dir);
    expect(r).toMatchObject({ task: 'multiclass', rows, label: ['label'], labelSource: 'default' });
    expectReport(r, expected, DIGITS);
    expect(r.accuracy).toBeGreaterThan(0.85);

    // A pixel that is not a number (lines[5] is line 6): one line naming the file, line and column.
    lines[5] = lines[5]!.replace(/^[^,]*,/, 'dark,');
    await writeFile(path('digits-bad.csv'), `${lines.join('\n')}\n`);
    expectOneErrorLine(
      await runCli(['evaluate', MNIST_MODEL, '--data', path('digits-bad.csv')], { cwd: dir }),
      /^onnx-mlp: .*digits-bad\.csv, line 6, column "px0": "dark" is not a number/,
    );
    // One feature column too many: expected vs found.
    await writeFile(
      path('digits-wide.csv'),
      `${lines
        .slice(0, 3)
        .map((l, i) => `${i === 0 ? 'extra' : '0'},${l}`)
        .join('\n')}\n`,
    );
    expectOneErrorLine(
      await runCli(['evaluate', MNIST_MODEL, '--data', path('digits-wide.csv')], { cwd: dir }),
      /^onnx-mlp: .*digits-wide\.csv: has 785 feature columns besides "label"; the model takes 784 numeric features/,
    );
  });

  it('bad data: unknown class, missing feature column, missing label column, missing file — one line each, exit 1', async () => {
    const bad = records.slice(0, 20).map((r, i) => (i === 6 ? { ...r, species: 'giant' } : r));
    await writeFile(path('unknown-class.csv'), toCsv(bad));
    await writeFile(
      path('no-city.csv'),
      toCsv(
        records.slice(0, 20),
        TABLE_COLUMNS.filter((c) => c !== 'city'),
      ),
    );
    await writeFile(
      path('no-label.csv'),
      toCsv(
        records.slice(0, 20),
        TABLE_COLUMNS.filter((c) => c !== 'species'),
      ),
    );
    const [unknown, noCity, noLabel, noFile, unknownFlag] = await Promise.all([
      runCli(['evaluate', path('multiclass.onnx'), '--data', path('unknown-class.csv')], { cwd: dir }),
      runCli(['evaluate', path('multiclass.onnx'), '--data', path('no-city.csv')], { cwd: dir }),
      runCli(['evaluate', path('multiclass.onnx'), '--data', path('no-label.csv')], { cwd: dir }),
      runCli(['evaluate', path('multiclass.onnx'), '--data', path('nothing.csv')], { cwd: dir }),
      runCli(['evaluate', path('multiclass.onnx'), '--data', path('data.csv'), '--labels', 'x'], { cwd: dir }),
    ]);
    // Record 7 is on line 8 (the header is line 1).
    expectOneErrorLine(
      unknown,
      /^onnx-mlp: .*unknown-class\.csv, line 8, column "species": unknown class "giant"; the model's classes are "low", "mid", "high"$/,
    );
    expectOneErrorLine(
      noCity,
      /^onnx-mlp: .*no-city\.csv: has no column "city"; the model expects the columns "age", "income", "member", "city"$/,
    );
    expectOneErrorLine(
      noLabel,
      /^onnx-mlp: .*no-label\.csv: has no label column "species" \(the model was trained with\); name it with --label COL/,
    );
    expectOneErrorLine(noFile, /^onnx-mlp: .*nothing\.csv: cannot be read: no such file$/);
    expectOneErrorLine(unknownFlag, /^onnx-mlp: Unknown argument: labels/, 2);
  });

  it('refuses what is not an onnx-mlp inference model, saying what the file is', async () => {
    const b = new GraphBuilder('foreign');
    b.output(b.op('Relu', [b.input('x', DataType.FLOAT, ['n', 4])]), 'y');
    await writeFile(path('foreign.onnx'), encodeModel(makeModel(b.build())));
    const artifacts = buildTrainingArtifacts(mlpSpec({ inputs: 4, outputs: 2 }), optimizerConfig('sgd'));
    await writeFile(path('training_model.onnx'), encodeModel(artifacts.trainingModel));
    await writeFile(path('random.onnx'), pseudoRandomBytes(4096, 7));
    const [foreign, training, random, missing] = await Promise.all(
      ['foreign.onnx', 'training_model.onnx', 'random.onnx', 'missing.onnx'].map((name) =>
        runCli(['evaluate', path(name), '--data', path('data.csv')], { cwd: dir }),
      ),
    );
    const needs = 'evaluate needs an onnx-mlp inference model \\(model\\.onnx from a run folder\\)';
    expectOneErrorLine(
      foreign!,
      new RegExp(`^onnx-mlp: ${needs}; .*foreign\\.onnx is an ONNX model without onnx-mlp metadata .*inputs: x float32 \\[n, 4\\]`),
    );
    expectOneErrorLine(
      training!,
      new RegExp(
        `^onnx-mlp: ${needs}; .*training_model\\.onnx is an onnx-mlp training step model \\(a run folder's training_model\\.onnx\\)$`,
      ),
    );
    expectOneErrorLine(random!, /^onnx-mlp: .*random\.onnx: not a readable ONNX model \(/);
    expectOneErrorLine(missing!, /^onnx-mlp: .*missing\.onnx: not a readable ONNX model \(no such file\)$/);
  });
});
