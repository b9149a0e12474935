import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  type Preprocessing,
  Trainer,
  buildInferenceModel,
  buildTrainingArtifacts,
  decodeModel,
  encodeModel,
  encodeRecord,
  featureWidth,
  fitPreprocessing,
  initialState,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { importOnnx, SYSTEM_PYTHON } from './helpers/python-onnx.js';
import { requireTool, skipIfMissing } from './helpers/require-tool.js';
import { execFileSync } from 'node:child_process';

/** Runs a single-input model and returns its named output as plain numbers. */
async function run(model: Uint8Array, input: Float32Array, columns: number, output: string): Promise<number[]> {
  const session = await ort.InferenceSession.create(model);
  const out = await session.run({ input: new ort.Tensor('float32', input, [input.length / columns, columns]) });
  return Array.from(out[output]!.data as Float32Array);
}

const NaN32 = Number.NaN;

describe('preprocessing statistics', () => {
  it('learns standard / min-max scaling, imputation and vocabularies as computed by hand', () => {
    const p = fitPreprocessing([
      { name: 'age', kind: 'numeric', values: [20, 30, NaN32, 50] },
      { name: 'flat', kind: 'numeric', values: [7, 7, 7, 7] },
      { name: 'city', kind: 'categorical', values: ['b', 'a', null, 'b'] },
    ]);
    const [age, flat, city] = p.columns as [any, any, any];
    expect(age.impute).toBeCloseTo(100 / 3, 12);
    expect(age.center).toBeCloseTo(100 / 3, 12);
    expect(age.scale).toBeCloseTo(Math.sqrt(((20 - 100 / 3) ** 2 + (30 - 100 / 3) ** 2 + (50 - 100 / 3) ** 2) / 3), 12);
    expect(flat.scale).toBe(1); // no spread: scale 1, so the feature is 0, never NaN
    expect(city.vocabulary).toEqual(['a', 'b']);
    expect(city.missingIndex).toBe(1); // the most frequent, 'b'
    const mm = fitPreprocessing([{ name: 'x', kind: 'numeric', values: [2, 4, 10] }], { scaling: 'minmax', numericImpute: 'median' });
    expect(mm.columns[0]).toMatchObject({ center: 2, scale: 8, impute: 4, imputeStrategy: 'median', scaling: 'minmax' });
    const dedicated = fitPreprocessing([{ name: 'c', kind: 'categorical', values: ['x', null] }], { categoricalMissing: 'category' });
    expect(dedicated.columns[0]).toMatchObject({ vocabulary: ['x', '<missing>'], missingIndex: 1, missing: 'category' });
  });

  it('refuses a column that is entirely missing, naming it', () => {
    expect(() => fitPreprocessing([{ name: 'empty', kind: 'numeric', values: [NaN32, NaN32] }])).toThrow(DataError);
    expect(() => fitPreprocessing([{ name: 'empty', kind: 'categorical', values: [null] }])).toThrow(/column "empty" has no values/);
  });
});

const schema: Preprocessing = fitPreprocessing([
  { name: 'age', kind: 'numeric', values: [20, 30, 40, 50] },
  { name: 'member', kind: 'boolean', values: [1, 0, 1, 1] },
  { name: 'city', kind: 'categorical', values: ['paris', 'oslo', 'rome', 'oslo'] },
]);

describe('preprocessing inside the graph', () => {
  it('imputes NaN, scales, and one-hot encodes (unknown -> all zeros) exactly as written', async () => {
    const raw = Float32Array.of(
      30,
      1,
      2, // rome
      NaN32,
      0,
      -1, // missing age, unknown city
      45,
      NaN32,
      NaN32, // missing member and city
    );
    const features = await run(encodeModel(buildPreprocessModel(schema)), raw, 3, 'features');
    const [age, member, city] = schema.columns as [any, any, any];
    const scaled = (v: number) => Math.fround((Math.fround(v) - Math.fround(age.center)) / Math.fround(age.scale));
    expect(featureWidth(schema)).toBe(5);
    expect(city.vocabulary).toEqual(['oslo', 'paris', 'rome']);
    const expected = [
      [scaled(30), 1, 0, 0, 1],
      [scaled(age.impute), 0, 0, 0, 0],
      [scaled(45), Math.fround(member.impute), 1, 0, 0], // missing city -> most frequent, oslo
    ].flat();
    features.forEach((v, i) => expect(v, `feature ${i}`).toBeCloseTo(expected[i]!, 6));
    expect(features.every(Number.isFinite)).toBe(true);
  });

  it('encodes raw records the way the graph expects, and refuses bad ones naming the column', () => {
    expect(Array.from(encodeRecord(schema, { age: '30', member: 'yes', city: 'rome' }))).toEqual([30, 1, 2]);
    const missing = encodeRecord(schema, { age: 'NA', member: '', city: 'berlin' });
    expect(Number.isNaN(missing[0])).toBe(true);
    expect(Number.isNaN(missing[1])).toBe(true);
    expect(missing[2]).toBe(-1);
    expect(() => encodeRecord(schema, { age: '30', member: 'yes' }, 'line 4')).toThrow(
      /line 4 has no column "city"; the model expects "age", "member", "city"/,
    );
    expect(() => encodeRecord(schema, { age: 'thirty', member: '1', city: 'oslo' }, 'line 2')).toThrow(
      /line 2, column "age": "thirty" is not a number/,
    );
  });
});

describe('a trained model with preprocessing baked in', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onnx-mlp-pre-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('predicts from raw records exactly what the training pipeline predicts, and passes the ONNX checker', async (ctx) => {
    // Raw data: age drives the class, city shifts it; some values missing.
    const rng = new Rng(4);
    const records = Array.from({ length: 300 }, () => ({
      age: rng.uniform() < 0.05 ? 'NA' : String(Math.round(18 + rng.uniform() * 60)),
      member: rng.uniform() < 0.5 ? 'true' : 'false',
      city: ['oslo', 'paris', 'rome'][rng.int(3)]!,
    }));
    const labels = records.map((r) => (r.age !== 'NA' && Number(r.age) + (r.city === 'rome' ? 15 : 0) > 50 ? 1 : 0));
    const raw = new Float32Array(records.length * 3);
    records.forEach((r, i) => raw.set(encodeRecord(schema, r, `record ${i + 1}`), i * 3));

    // The training-time pipeline: raw rows through the preprocessing graph, then train on features.
    const features = Float32Array.from(await run(encodeModel(buildPreprocessModel(schema)), raw, 3, 'features'));
    const spec = mlpSpec({ inputs: featureWidth(schema), hidden: [16], outputs: 2 });
    const art = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.02 }));
    const trainer = await Trainer.create(ort, art, initialState(art, 1));
    const data = { features, rows: records.length, cols: featureWidth(schema), targets: Float32Array.from(labels) };
    const history = await trainer.fit(data, { epochs: 40, batchSize: 32 });
    expect(history.at(-1)!.accuracy).toBeGreaterThan(0.9);
    const { parameters } = await trainer.state();

    const plain = await run(encodeModel(buildInferenceModel(spec, parameters)), features, featureWidth(schema), 'probabilities');
    const bytes = encodeModel(buildInferenceModel(spec, parameters, { preprocessing: schema, classNames: ['no', 'yes'] }));
    const baked = await run(bytes, raw, 3, 'probabilities');
    expect(baked).toEqual(plain); // bit for bit: one arithmetic for training and serving

    const model = decodeModel(bytes);
    expect(JSON.parse(model.metadata.get(META.preprocessing)!)).toEqual(schema);
    expect(model.graph.inputs[0]!.shape).toEqual(['batch', 3]);
    expect(new Set(model.graph.nodes.map((n) => n.domain ?? ''))).toEqual(new Set(['']));

    skipIfMissing(ctx, await requireTool('python3-onnx', importOnnx));
    const path = join(dir, 'pre.onnx');
    await writeFile(path, bytes);
    execFileSync(SYSTEM_PYTHON, ['-c', `import onnx; onnx.checker.check_model(onnx.load(${JSON.stringify(path)}), full_check=True)`]);
  }, 60_000);
});
