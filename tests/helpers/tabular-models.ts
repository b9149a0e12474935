import * as ort from 'onnxruntime-node';
import {
  Trainer,
  buildInferenceModel,
  buildTrainingArtifacts,
  encodeModel,
  encodeRecord,
  featureWidth,
  fitPreprocessing,
  initialState,
  mlpSpec,
  optimizerConfig,
  type Preprocessing,
  type Task,
} from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';
import type { TargetScaling } from '@onnx-mlp/core/preprocess';

/** One synthetic record as a CSV holds it: every cell text, missing values as "" or "NA". */
export type TextRecord = Record<string, string>;

/** The columns of the synthetic table, in file order: an id, the four features (not in the model's order), a note, three targets. */
export const TABLE_COLUMNS = ['id', 'city', 'income', 'note', 'member', 'age', 'species', 'approved', 'price'] as const;

const CITIES = ['oslo', 'paris', 'rome'];
const TRUE_WORDS = ['true', 'yes', '1'];
const FALSE_WORDS = ['false', 'no', '0'];

/**
 * `n` deterministic records: numeric `age` (some "NA") and `income` (some empty), boolean `member`
 * (true/false, yes/no, 1/0), categorical `city` (some empty), a free-text `note` no model uses, and
 * three targets: `species` (low/mid/high), `approved` (no/yes) and `price` (a number).
 */
export function syntheticRecords(n: number, seed = 7): TextRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const age = 18 + rng.uniform() * 60;
    const income = 20 + rng.uniform() * 80;
    const member = rng.uniform() < 0.5;
    const city = CITIES[rng.int(3)]!;
    const score = age / 60 + income / 100 + (city === 'rome' ? 0.4 : city === 'oslo' ? -0.2 : 0) + (member ? 0.3 : 0) + rng.normal() * 0.1;
    const price = (3 * age) / 60 - income / 50 + (member ? 1 : 0) + (city === 'paris' ? 0.5 : 0) + rng.normal() * 0.05;
    return {
      id: String(i + 1),
      city: rng.uniform() < 0.05 ? '' : city,
      income: rng.uniform() < 0.03 ? '' : income.toFixed(2),
      note: `row ${i + 1}, "quoted"`,
      member: (member ? TRUE_WORDS : FALSE_WORDS)[rng.int(3)]!,
      age: rng.uniform() < 0.05 ? 'NA' : String(Math.round(age)),
      species: score < 1.1 ? 'low' : score < 1.6 ? 'mid' : 'high',
      approved: score > 1.35 ? 'yes' : 'no',
      price: price.toFixed(4),
    };
  });
}

/** CSV text of `records` with `columns` as the header, fields quoted where needed. */
export function toCsv(records: readonly TextRecord[], columns: readonly string[] = TABLE_COLUMNS): string {
  const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `${[columns.map(field).join(','), ...records.map((r) => columns.map((c) => field(r[c] ?? '')).join(','))].join('\n')}\n`;
}

/** The preprocessing the fixtures use, fitted on `records`. */
export function fitSchema(records: readonly TextRecord[]): Preprocessing {
  const num = (s: string) => (s === '' || s === 'NA' ? NaN : Number(s));
  return fitPreprocessing([
    { name: 'age', kind: 'numeric', values: records.map((r) => num(r.age!)) },
    { name: 'income', kind: 'numeric', values: records.map((r) => num(r.income!)) },
    { name: 'member', kind: 'boolean', values: records.map((r) => (TRUE_WORDS.includes(r.member!) ? 1 : 0)) },
    { name: 'city', kind: 'categorical', values: records.map((r) => r.city || null) },
  ]);
}

/** The raw input rows of `records` for a model with preprocessing `p` (core's encodeRecord). */
export function rawInputs(p: Preprocessing, records: readonly TextRecord[]): Float32Array {
  const width = p.columns.length;
  const raw = new Float32Array(records.length * width);
  records.forEach((r, i) => raw.set(encodeRecord(p, r, `record ${i + 1}`), i * width));
  return raw;
}

/** What a fixture model is for. */
export interface TabularFixture {
  readonly bytes: Uint8Array;
  readonly preprocessing: Preprocessing;
  readonly classNames?: readonly string[];
  readonly label: string;
}

/**
 * Trains a small model with preprocessing baked in on `records` (a few epochs: the point is a real
 * trained model, not a good one). `task` decides the target: species (multiclass, its label column
 * stored in the training metadata), approved (binary) or price (regression). `targetScaling` ends a
 * regression graph with its inverse (the weights are not trained for it: the graph is what counts).
 */
export async function trainTabularModel(
  records: readonly TextRecord[],
  task: Task,
  options: { targetScaling?: TargetScaling } = {},
): Promise<TabularFixture> {
  const p = fitSchema(records);
  const raw = rawInputs(p, records);
  const pre = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(p)));
  const out = await pre.run({ input: new ort.Tensor('float32', raw, [records.length, p.columns.length]) });
  const features = Float32Array.from(out.features!.data as Float32Array);
  await pre.release();

  const classNames = task === 'multiclass' ? ['low', 'mid', 'high'] : task === 'binary' ? ['no', 'yes'] : undefined;
  const label = task === 'multiclass' ? 'species' : task === 'binary' ? 'approved' : 'price';
  const targets = Float32Array.from(records, (r) => (classNames ? classNames.indexOf(r[label]!) : Number(r[label])));
  const spec = mlpSpec({ inputs: featureWidth(p), hidden: [16], outputs: task === 'multiclass' ? 3 : 1, task });
  const artifacts = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.02 }));
  const trainer = await Trainer.create(ort, artifacts, initialState(artifacts, 3));
  await trainer.fit({ features, rows: records.length, cols: featureWidth(p), targets }, { epochs: 8, batchSize: 32 });
  const { parameters } = await trainer.state();
  const training = task === 'multiclass' ? { data: 'synthetic', label } : { data: 'synthetic' };
  const bytes = encodeModel(
    buildInferenceModel(spec, parameters, {
      preprocessing: p,
      training,
      ...(classNames ? { classNames } : {}),
      ...(options.targetScaling ? { targetScaling: options.targetScaling } : {}),
    }),
  );
  return { bytes, preprocessing: p, label, ...(classNames ? { classNames } : {}) };
}

/** Runs an inference model on raw input rows and returns the named outputs as plain arrays. */
export async function runModel(bytes: Uint8Array, raw: Float32Array, width: number): Promise<Record<string, Float32Array | BigInt64Array>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', raw, [raw.length / width, width]) });
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array | BigInt64Array]));
  } finally {
    await session.release();
  }
}
