import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildPreprocessModel,
  checkIntegrity,
  computeDigests,
  exportMissingMask,
  ExportError,
  maskMissingCells,
  readExportedFrom,
} from '@onnx-mlp/core/artifacts';
import { decodeModel, encodeModel, type Model, type Preprocessing, type Task } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { readInferenceMetadata } from '@onnx-mlp/core/inspect';
import { parameterShapes } from '@onnx-mlp/core/model';
import { DataType, GraphBuilder, makeModel } from '@onnx-mlp/core/ir';
import { type ColumnValues, emitMaskedPreprocess, fitPreprocessing, type PreprocessOptions } from '@onnx-mlp/core/preprocess';
import { type TabularFixture, type TextRecord, rawInputs, syntheticRecords, trainTabularModel } from './helpers/tabular-models.js';

// The export with a `missing` mask input computes what the model it came from computes, in
// onnxruntime-node, bit for bit: on ordinary rows, rows with missing cells, unseen categories and ±1e6.

const EDGE: TextRecord[] = [
  { age: 'NA', income: '', member: 'yes', city: '' },
  { age: '40', income: '50', member: 'no', city: 'tokyo' },
  { age: '1000000', income: '-1000000', member: 'true', city: 'rome' },
  { age: '-1000000', income: '1000000', member: '0', city: '' },
  { age: '', income: '', member: 'no', city: 'lima' },
];
const TASKS: readonly Task[] = ['multiclass', 'binary', 'regression'];

/** Raw rows as training writes them (NaN for missing) and as the export takes them (0 and a mask). */
function rows(p: Preprocessing): { nan: Float32Array; zeroed: Float32Array; mask: Float32Array; count: number } {
  const records = [...syntheticRecords(60, 123), ...EDGE];
  const nan = rawInputs(p, records);
  const mask = nan.map((v) => (Number.isNaN(v) ? 1 : 0));
  const zeroed = nan.map((v) => (Number.isNaN(v) ? 0 : v));
  return { nan, zeroed, mask, count: records.length };
}

async function run(bytes: Uint8Array, feeds: Record<string, Float32Array>, shape: number[]): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v, shape)])));
  } finally {
    await session.release();
  }
}

const fixtures = new Map<Task, { fixture: TabularFixture; source: Model; exported: Model }>();

beforeAll(async () => {
  const train = syntheticRecords(200, 7);
  for (const task of TASKS) {
    const fixture = await trainTabularModel(train, task, task === 'regression' ? { targetScaling: { center: [3.5], scale: [1.75] } } : {});
    const source = decodeModel(fixture.bytes);
    fixtures.set(task, { fixture, source, exported: await exportMissingMask(source) });
  }
});

/** The features of `p` from the mask form of the preprocessing alone (emitMaskedPreprocess), as a model. */
function maskedPreprocessModel(p: Preprocessing): Uint8Array {
  const b = new GraphBuilder('masked');
  const shape = ['batch', p.columns.length];
  const input = b.input('input', DataType.FLOAT, shape);
  const missing = b.input('missing', DataType.FLOAT, shape);
  b.output(emitMaskedPreprocess(b, p, { input, missing }), 'features');
  return encodeModel(makeModel(b.build()));
}

describe('emitMaskedPreprocess gives the features emitPreprocess gives for NaN, bit for bit', () => {
  const records = syntheticRecords(150, 21);
  const num = (s: string) => (s === '' || s === 'NA' ? NaN : Number(s));
  const CASES: [string, ColumnValues[], PreprocessOptions][] = [
    [
      'minmax, median, a "missing" category, a capped vocabulary (<other>)',
      [
        { name: 'age', kind: 'numeric', values: records.map((r) => num(r.age!)) },
        { name: 'city', kind: 'categorical', values: records.map((r) => r.city || null) },
        { name: 'income', kind: 'numeric', values: records.map((r) => num(r.income!)) },
      ],
      { scaling: 'minmax', numericImpute: 'median', categoricalMissing: 'category', maxCategories: 2 },
    ],
    ['categorical columns only', [{ name: 'city', kind: 'categorical', values: records.map((r) => r.city || null) }], {}],
    [
      'numeric columns only, no scaling',
      [{ name: 'income', kind: 'numeric', values: records.map((r) => num(r.income!)) }],
      { scaling: 'none' },
    ],
  ];

  it.each(CASES)('%s', async (_, columns, options) => {
    const p = fitPreprocessing(columns, options);
    const r = rows(p);
    const shape = [r.count, p.columns.length];
    const want = (await run(encodeModel(buildPreprocessModel(p)), { input: r.nan }, shape)).features!.data as Float32Array;
    const got = (await run(maskedPreprocessModel(p), { input: r.zeroed, missing: r.mask }, shape)).features!.data as Float32Array;
    expect(r.mask.some((m) => m === 1)).toBe(true);
    expect(Array.from(got)).toEqual(Array.from(want));
    // The capped case does feed the "<other>" slot (the third city and the unseen ones are encoded as it).
    const at = p.columns.findIndex((c) => c.name === 'city');
    const city = p.columns[at];
    if (options.maxCategories !== undefined) {
      expect(city?.kind === 'categorical' ? city.otherIndex : undefined).toBeDefined();
      const cityCells = Array.from({ length: r.count }, (_, row) => r.nan[row * p.columns.length + at]);
      expect(cityCells).toContain(city?.kind === 'categorical' ? city.otherIndex : NaN);
    }
  });
});

describe('exportMissingMask', () => {
  it.each(TASKS)('%s: the export fed 0 and a mask equals the model fed NaN, bit for bit, in onnxruntime-node', async (task) => {
    const { fixture, exported } = fixtures.get(task)!;
    const p = fixture.preprocessing;
    const r = rows(p);
    // The rows exercise what the mask replaces: missing cells (numeric and categorical) and unseen categories.
    expect(r.mask.filter((m) => m === 1).length).toBeGreaterThan(8);
    expect(r.nan.filter((v) => v === -1).length).toBeGreaterThan(1);
    const shape = [r.count, p.columns.length];
    const want = await run(fixture.bytes, { input: r.nan }, shape);
    const got = await run(encodeModel(exported), { input: r.zeroed, missing: r.mask }, shape);
    const outputs = task === 'regression' ? ['prediction'] : ['probabilities', 'label'];
    expect(Object.keys(got).sort()).toEqual([...outputs].sort());
    for (const name of outputs) {
      const a = want[name]!.data as Float32Array | BigInt64Array;
      const b = got[name]!.data as Float32Array | BigInt64Array;
      expect(b.length).toBe(a.length);
      expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)), name).toBe(true);
    }
    if (task === 'regression') expect(Array.from(got.prediction!.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('maskMissingCells (what predict feeds an export) gives 0 in `input` and 1 in `missing` for each NaN cell, the rest as they are', () => {
    const r = rows(fixtures.get('multiclass')!.fixture.preprocessing);
    const { input, missing } = maskMissingCells(r.nan);
    expect(missing).toEqual(r.mask);
    expect(Buffer.from(input.buffer).equals(Buffer.from(r.zeroed.buffer))).toBe(true);
  });

  it('writes no NaN test and no Where, and keeps the weights, outputs and metadata of its source', async () => {
    const { source, exported } = fixtures.get('multiclass')!;
    const ops = new Set(exported.graph.nodes.map((n) => n.opType));
    for (const op of ['Where', 'Equal', 'IsNaN', 'Gather']) expect(ops.has(op), op).toBe(false);
    expect(new Set(source.graph.nodes.map((n) => n.opType)).has('Where')).toBe(true);
    expect(exported.graph.inputs.map((v) => [v.name, v.shape])).toEqual([
      ['input', ['batch', 4]],
      ['missing', ['batch', 4]],
    ]);
    expect(exported.graph.inputs[1]!.docString).toMatch(/1 where the cell is missing/);
    expect(exported.graph.outputs.map((v) => v.name)).toEqual(source.graph.outputs.map((v) => v.name));
    const names = parameterShapes(readInferenceMetadata(source).spec).map(([name]) => name);
    expect(names.length).toBe(4);
    for (const name of names) {
      const a = source.graph.initializers.get(name)!;
      const b = exported.graph.initializers.get(name)!;
      expect(b.dims, name).toEqual(a.dims);
      expect(
        Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(
          Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength),
        ),
      ).toBe(true);
    }
    for (const key of [META.classNames, META.training, META.preprocessing, META.spec, META.kind])
      expect(exported.metadata.get(key), key).toBe(source.metadata.get(key));
    expect(JSON.parse(exported.metadata.get(META.missingInput)!)).toMatchObject({ form: 'mask', input: 'missing', missing: 1, present: 0 });
    expect(readExportedFrom(exported)).toEqual({ digest: (await computeDigests(source)).digest });
    expect((await checkIntegrity(exported)).status).toBe('ok');
    expect(readInferenceMetadata(exported).missingForm).toBe('mask');
    expect(readInferenceMetadata(source).missingForm).toBe('nan');
  });

  it('refuses a model that is already an export, and one without preprocessing', async () => {
    const { exported } = fixtures.get('binary')!;
    await expect(exportMissingMask(exported)).rejects.toThrow(ExportError);
    await expect(exportMissingMask(exported)).rejects.toThrow(/already takes missing cells as a mask/);
    const { readFile } = await import('node:fs/promises');
    const mnist = decodeModel(await readFile(new URL('../models/mnist-mlp.onnx', import.meta.url)));
    await expect(exportMissingMask(mnist)).rejects.toThrow(/has no preprocessing .*already loads in OpenCV 4\.6 as it is/);
  });
});
