// core's tabular pipeline (prepareTables and its parts) and inference-model checks, shared by the CLI and the web package.
import { describe, expect, it } from 'vitest';
import { buildInferenceModel, mlpSpec, readCsv, type Table } from '@onnx-mlp/core';
import { NotInferenceModelError, readInferenceMetadata } from '@onnx-mlp/core/inspect';
import { META } from '@onnx-mlp/core/internal';
import { Rng, initParameters } from '@onnx-mlp/core/model';
import type { NumericColumn } from '@onnx-mlp/core/preprocess';
import { TabularOptionError, type TabularSettings, prepareTables, resolveClassWeights, splitRows } from '@onnx-mlp/core/tabular';
import { HINTS, SETTINGS } from './helpers/tabular-settings.js';

/** 40 rows: x = 0..39 (x = 7 missing), g a category, y "a" for even rows and "b" for odd ones. */
async function table(extra: (i: number) => string = () => ''): Promise<Table> {
  const rows = Array.from({ length: 40 }, (_, i) => `${i === 7 ? '' : i},${i % 3 === 0 ? 'p' : 'q'}${extra(i)},${i % 2 === 0 ? 'a' : 'b'}`);
  const header = extra(0) === '' ? 'x,g,y' : 'x,g,id,y';
  return readCsv(new TextEncoder().encode([header, ...rows].join('\n')), { file: 't.csv' });
}

async function rejection(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('prepareTables: the in-memory table -> training data pipeline', () => {
  it('splits 28/4/8 as splitRows does, stratified, and fits the statistics on the train rows only', async () => {
    const t = await table();
    const p = prepareTables({ data: t, val: null, test: null }, { settings: SETTINGS, valSplit: 0.1, seed: 3, hints: HINTS });
    const classes = Float32Array.from({ length: 40 }, (_, i) => i % 2);
    const split = splitRows(40, { validationRows: 4, testRows: 8, seed: 3, classes });
    expect([p.train.raw.rows, p.validation!.raw.rows, p.test.raw.rows]).toEqual([28, 4, 8]);
    expect([...new Set([...split.train, ...split.validation, ...split.test])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
    // Stratified: each part keeps the 50/50 classes.
    expect(Array.from(p.test.raw.targets).filter((y) => y === 1)).toHaveLength(4);
    // The raw column x of the train split is x at splitRows' train rows, in that order (NaN for the missing 7).
    const x = Array.from({ length: 28 }, (_, i) => p.train.raw.features[i * 2]!);
    expect(x.map((v) => (Number.isNaN(v) ? 7 : v))).toEqual([...split.train]);
    const present = split.train.filter((r) => r !== 7);
    const mean = present.reduce((s, r) => s + r, 0) / present.length;
    const sd = Math.sqrt(present.reduce((s, r) => s + (r - mean) ** 2, 0) / present.length);
    const column = p.preprocessing.columns[0] as NumericColumn;
    expect(column.center).toBeCloseTo(mean, 10);
    expect(column.scale).toBeCloseTo(sd, 10);
    expect(column.impute).toBeCloseTo(mean, 10);
    expect([p.task, p.classNames, p.outputs]).toEqual(['binary', ['a', 'b'], 1]);
    expect(p.description).toBe(
      't.csv (40 rows), binary label "y" (2 classes), 2 feature columns: stratified split with seed 3, 28 train / 4 validation / 8 test',
    );
  });

  it("setting errors are TabularOptionErrors naming the setting; advice uses the front end's hints", async () => {
    const t = await table();
    const run =
      (settings: Partial<TabularSettings>, valSplit: number | null = null) =>
      () =>
        prepareTables({ data: t, val: null, test: null }, { settings: { ...SETTINGS, ...settings }, valSplit, seed: 1, hints: HINTS });
    const label = await rejection(run({ label: 'nope' }));
    expect(label).toBeInstanceOf(TabularOptionError);
    expect(label).toMatchObject({
      field: 'label',
      value: 'nope',
      message: 'label = "nope": not a column of t.csv; the columns are "x", "g", "y"',
    });
    expect(await rejection(run({ testSplit: 0.001 }))).toMatchObject({
      field: 'testSplit',
      reason: 'leaves no test rows out of the 40 of t.csv',
    });
    expect(await rejection(run({ exclude: ['x', 'g'] }))).toMatchObject({
      code: 'NO_FEATURE_COLUMNS',
      message: 't.csv: no feature columns are left besides the label "y"',
    });
    expect(await rejection(run({ label: 'g,y', task: 'binary' }))).toMatchObject({
      field: 'task',
      reason: 'several label columns ("g", "y") are regression targets <task>',
    });
    const ids = await table((i) => `,id${i}`);
    // An identifier is refused (privacy: its values would ship in the model's vocabulary), naming the column and the advice.
    expect(() =>
      prepareTables({ data: ids, val: null, test: null }, { settings: SETTINGS, valSplit: null, seed: 1, hints: HINTS }),
    ).toThrow(
      expect.objectContaining({
        code: 'IDENTIFIER_COLUMN',
        fields: { column: 'id', distinct: 32, rows: 32 },
        message:
          't.csv, column "id": has a different value in every one of the train rows: it looks like an identifier or free text, which a model must not carry in its vocabulary (nor can it generalise from it); leave it out with <exclude id>',
      }),
    );
  });

  it('class weights: balanced from the train split, by name, and errors naming classWeights', () => {
    const train = { features: new Float32Array(4), rows: 4, cols: 1, targets: Float32Array.from([0, 0, 0, 1]) };
    const data = { classNames: ['a', 'b'], train };
    expect(resolveClassWeights('balanced', data)).toEqual([4 / 6, 2]);
    expect(resolveClassWeights({ b: 3, a: 1 }, data)).toEqual([1, 3]);
    expect(() => resolveClassWeights({ c: 1 }, data)).toThrow('classWeights = {"c":1}: "c" is not a class; the classes are "a", "b"');
    expect(() => resolveClassWeights([1], data)).toThrow(
      'gives 1 weights but the label has 2 classes ("a", "b"), one weight each in that order',
    );
    expect(() => resolveClassWeights('balanced', { classNames: null, train })).toThrow(TabularOptionError);
  });
});

describe('readInferenceMetadata: what a model.onnx must hold to predict from records', () => {
  const spec = mlpSpec({ inputs: 3, outputs: 1, hidden: [4], task: 'binary' });
  const model = () =>
    buildInferenceModel(spec, initParameters(spec, new Rng(1)), { classNames: ['no', 'yes'], training: { label: 'churn' } });

  it('reads the spec, classes, widths and training facts', () => {
    const meta = readInferenceMetadata(model());
    expect([meta.task, meta.classNames, meta.outputWidth, meta.inputWidth, meta.preprocessing, meta.training]).toEqual([
      'binary',
      ['no', 'yes'],
      2,
      3,
      null,
      { label: 'churn' },
    ]);
  });

  it('says what a model is when it is not one: another kind, broken class names, a missing output', () => {
    type Model = ReturnType<typeof model>;
    const withMeta =
      (key: string, value: string) =>
      (m: Model): Model => ({ ...m, metadata: new Map([...m.metadata, [key, value]]) });
    const what = (edit: (m: Model) => Model): string => {
      const m = edit(model());
      try {
        readInferenceMetadata(m);
      } catch (e) {
        expect(e).toBeInstanceOf(NotInferenceModelError);
        return (e as NotInferenceModelError).what;
      }
      return 'accepted';
    };
    expect(what(withMeta(META.kind, 'checkpoint'))).toBe("an onnx-mlp checkpoint (a run folder's checkpoint.ckpt)");
    expect(what(withMeta(META.classNames, '["no","no "]'))).toBe(
      `an onnx-mlp inference model that names a class twice in ${META.classNames}`,
    );
    expect(what((m) => ({ ...m, graph: { ...m.graph, outputs: m.graph.outputs.filter((v) => v.name !== 'label') } }))).toMatch(
      /^an onnx-mlp inference model that has no output "label" \(it has probabilities float32 \[/,
    );
  });
});
