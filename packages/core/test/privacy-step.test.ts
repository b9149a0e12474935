import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  type MlpSpec,
  type OptimizerConfig,
  encodeModel,
  initialState,
  mlpSpec,
  optimizerConfig,
  buildTrainingArtifacts,
} from '@onnx-mlp/core';
import { buildTrainStep } from '@onnx-mlp/core/artifacts';
import { IO, packTensors, parameterLayout } from '@onnx-mlp/core/internal';
import { Rng } from '@onnx-mlp/core/model';

const ROWS = 6;
const SGD1 = optimizerConfig('sgd', { learningRate: 1 });
const SPECS: Record<string, MlpSpec> = {
  multiclass: mlpSpec({ inputs: 5, outputs: 3, hidden: [4, 3], activation: 'tanh' }),
  binary: mlpSpec({ inputs: 5, outputs: 1, hidden: [4], task: 'binary' }),
  regression: mlpSpec({ inputs: 5, outputs: 2, hidden: [4, 3], task: 'regression', activation: 'tanh' }),
};

/** Seeded features, targets and initial parameters of `spec`. */
function problem(spec: MlpSpec) {
  const rng = new Rng(7);
  const x = Float32Array.from({ length: ROWS * spec.inputs }, () => rng.normal());
  const width = spec.task === 'multiclass' ? 1 : spec.outputs;
  const y = Float32Array.from({ length: ROWS * width }, () =>
    spec.task === 'regression' ? 3 * rng.normal() : rng.int(spec.task === 'binary' ? 2 : spec.outputs),
  );
  const state = initialState(buildTrainingArtifacts(spec, SGD1), 3);
  return { x, y, width, params: packTensors(parameterLayout(spec), state.parameters) };
}

type Problem = ReturnType<typeof problem>;

/** One step of `model` on `rows` of the problem; returns every output as numbers. */
async function step(spec: MlpSpec, model: Uint8Array, p: Problem, rows: readonly number[], extra: Record<string, ort.Tensor> = {}) {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const x = new Float32Array(rows.length * spec.inputs);
  const y = new Float32Array(rows.length * p.width);
  rows.forEach((r, k) => {
    x.set(p.x.subarray(r * spec.inputs, (r + 1) * spec.inputs), k * spec.inputs);
    y.set(p.y.subarray(r * p.width, (r + 1) * p.width), k * p.width);
  });
  const target =
    spec.task === 'multiclass'
      ? new ort.Tensor(
          'int64',
          BigInt64Array.from(y, (v) => BigInt(v)),
          [rows.length],
        )
      : new ort.Tensor('float32', y, [rows.length, p.width]);
  const out = await session.run({
    [IO.input]: new ort.Tensor('float32', x, [rows.length, spec.inputs]),
    [IO.target]: target,
    [IO.learningRate]: new ort.Tensor('float32', Float32Array.of(1), []),
    [IO.step]: new ort.Tensor('float32', Float32Array.of(1), []),
    [IO.parameters]: new ort.Tensor('float32', p.params, [p.params.length]),
    ...extra,
  });
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array)]));
}

/** How far one step of `model` on `rows` moved the parameters (before − after), per parameter. */
async function stepDelta(spec: MlpSpec, model: Uint8Array, p: Problem, rows: readonly number[], extra: Record<string, ort.Tensor> = {}) {
  return delta(p.params, (await step(spec, model, p, rows, extra))[IO.updated(IO.parameters)]!);
}

function privateModel(spec: MlpSpec, clipNorm: number, optimizer: OptimizerConfig = SGD1): Uint8Array {
  return encodeModel(buildTrainStep(spec, optimizer, { privacy: { clipNorm } }));
}

function privateFeeds(weights: readonly number[], noise: Float32Array): Record<string, ort.Tensor> {
  return {
    [IO.rowWeights]: new ort.Tensor('float32', Float32Array.from(weights), [weights.length]),
    [IO.gradientNoise]: new ort.Tensor('float32', noise, [noise.length]),
  };
}

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const delta = (before: Float32Array, after: readonly number[]) => after.map((a, i) => before[i]! - a);
const ALL = Array.from({ length: ROWS }, (_, i) => i);

describe.each(Object.keys(SPECS))('differentially private train step (%s)', (task) => {
  const spec = SPECS[task]!;
  const p = problem(spec);
  const zeros = new Float32Array(p.params.length);

  it('computes in the graph the norm of each row’s gradient, as one-row batches of the plain step give it', async () => {
    const plain = encodeModel(buildTrainStep(spec, SGD1));
    const oneByOne = await Promise.all(ALL.map(async (r) => norm(await stepDelta(spec, plain, p, [r]))));
    const out = await step(
      spec,
      privateModel(spec, 1e6),
      p,
      ALL,
      privateFeeds(
        ALL.map(() => 1),
        zeros,
      ),
    );
    const inGraph = out[IO.perExampleNorms]!;
    expect(inGraph).toHaveLength(ROWS);
    for (const r of ALL) expect(Math.abs(inGraph[r]! - oneByOne[r]!) / oneByOne[r]!).toBeLessThan(1e-4);
    expect(Math.min(...oneByOne)).toBeGreaterThan(1e-3);
  });

  it('with σ = 0 and C large, takes the non-private step (Adam)', async () => {
    const adam = optimizerConfig('adam', { learningRate: 0.01 });
    const slots = {
      [IO.state('m')]: new ort.Tensor('float32', zeros, [zeros.length]),
      [IO.state('v')]: new ort.Tensor('float32', zeros, [zeros.length]),
    };
    const plain = await step(spec, encodeModel(buildTrainStep(spec, adam)), p, ALL, slots);
    const dp = await step(spec, privateModel(spec, 1e6, adam), p, ALL, {
      ...slots,
      ...privateFeeds(
        ALL.map(() => 1 / ROWS),
        zeros,
      ),
    });
    const a = plain[IO.updated(IO.parameters)]!;
    const b = dp[IO.updated(IO.parameters)]!;
    expect(delta(p.params, a).some((d) => Math.abs(d) > 1e-3)).toBe(true);
    for (let i = 0; i < a.length; i++) expect(b[i]!).toBeCloseTo(a[i]!, 6);
    expect(dp[IO.loss]![0]).toBeCloseTo(plain[IO.loss]![0]!, 6);
  });

  it('with σ = 0 and C small, every row’s contribution has norm C at most, and the step is their sum', async () => {
    const plain = encodeModel(buildTrainStep(spec, SGD1));
    const model = privateModel(spec, 0.01);
    const contributions = await Promise.all(
      ALL.map((r) =>
        stepDelta(
          spec,
          model,
          p,
          ALL,
          privateFeeds(
            ALL.map((k) => (k === r ? 1 : 0)),
            zeros,
          ),
        ),
      ),
    );
    for (const [r, c] of contributions.entries()) {
      expect(norm(c)).toBeLessThanOrEqual(0.01 * (1 + 1e-5));
      expect(norm(c)).toBeGreaterThan(0.01 * (1 - 1e-4)); // every raw norm exceeds 0.01: all are clipped
      // Clipping keeps the direction of the row's own gradient.
      const own = await stepDelta(spec, plain, p, [r]);
      const scale = norm(own) / norm(c);
      // float32: c is a difference of parameters ~100 times its size, so compare to the vector's norm.
      c.forEach((v, i) => expect(Math.abs(v * scale - own[i]!)).toBeLessThan(1e-4 * norm(own)));
    }
    const all = await stepDelta(
      spec,
      model,
      p,
      ALL,
      privateFeeds(
        ALL.map(() => 1),
        zeros,
      ),
    );
    all.forEach((v, i) =>
      expect(v).toBeCloseTo(
        contributions.reduce((s, c) => s + c[i]!, 0),
        6,
      ),
    );
  });

  it('adds the host-fed noise to the clipped sum, and padding rows (weight 0) add nothing', async () => {
    const model = privateModel(spec, 0.01);
    const rng = new Rng(11);
    const noise = Float32Array.from(zeros, () => 0.1 * rng.normal());
    const clean = await stepDelta(spec, model, p, [0, 1], privateFeeds([1, 1], zeros));
    const padded = await stepDelta(spec, model, p, [0, 1, 4, 5], privateFeeds([1, 1, 0, 0], noise));
    padded.forEach((v, i) => expect(v).toBeCloseTo(clean[i]! + noise[i]!, 6));
  });
});
