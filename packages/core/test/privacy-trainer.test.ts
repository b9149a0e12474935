import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  type MlpSpec,
  type OptimizerConfig,
  Trainer,
  type TrainingState,
  buildTrainingArtifacts,
  initialState,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import type { TensorMap } from '@onnx-mlp/core/model';
import { Rng } from '@onnx-mlp/core/model';
import { gaussianNoise, poissonBatches } from '@onnx-mlp/core/privacy';
import { THREE_BLOBS, blobs } from './helpers/datasets.js';

const train3 = blobs(THREE_BLOBS, 100, 0.8, 1);
const test3 = blobs(THREE_BLOBS, 100, 0.8, 2);
const spec = mlpSpec({ inputs: 2, hidden: [16], outputs: 3, dropout: 0.1 });
const adam = optimizerConfig('adam', { learningRate: 0.05 });
const PRIVATE = { noiseMultiplier: 1 };

async function privateTrainer(s: MlpSpec, optimizer: OptimizerConfig, state?: TrainingState): Promise<Trainer> {
  const artifacts = buildTrainingArtifacts(s, optimizer, { privacy: { clipNorm: 1 } });
  return Trainer.create(ort, artifacts, state ?? initialState(artifacts, 5));
}

const bits = (m: TensorMap) =>
  Object.fromEntries([...m].map(([n, t]) => [n, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));

describe('Poisson batches', () => {
  it('take each row with probability q independently: per-row counts and batch-size variance of Binomial draws', () => {
    const rows = 50;
    const q = 0.2;
    const plan = poissonBatches(new Rng(1), { rows, steps: 2000, q, weight: 0.1 });
    const counts = new Array<number>(rows).fill(0);
    const sizes: number[] = [];
    for (let k = 0; k < plan.steps; k++) {
      let size = 0;
      for (let j = 0; j < plan.width; j++) {
        const w = plan.weights[k * plan.width + j]!;
        if (w !== 0 && w !== Math.fround(0.1)) throw new Error(`weight ${w}: neither a sampled row's nor padding's`);
        if (w > 0) {
          counts[plan.order[k * plan.width + j]!]!++;
          size++;
        }
      }
      sizes.push(size);
    }
    // Binomial(2000, 0.2) per row: mean 400, sd 17.9; 5 sd either side.
    for (const c of counts) expect(Math.abs(c - 400)).toBeLessThan(90);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / sizes.length;
    expect(mean).toBeCloseTo(10, 0); // n q
    expect(variance).toBeGreaterThan(6.5); // n q (1 - q) = 8; fixed-size batches would give 0
    expect(variance).toBeLessThan(9.5);
    expect(plan.width).toBe(Math.max(...sizes));
    expect(plan.sampled).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('Rng.uniforms(n) gives the numbers of n uniform() calls and leaves the generator where they would', () => {
    const bulk = new Rng(9);
    const one = new Rng(9);
    const u = bulk.uniforms(1001);
    expect(Array.from(u)).toEqual(Array.from({ length: 1001 }, () => one.uniform()));
    expect(bulk.state()).toEqual(one.state());
  });

  it('gaussian noise has the standard deviation asked for', () => {
    const z = gaussianNoise(new Rng(2), 100_001, 0.5);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeCloseTo(0.5, 2);
  });
});

describe('Trainer with privacy (DP-SGD)', () => {
  it('learns 3 blobs with σ = 1, C = 1: > 90 % test accuracy after 5 epochs', async () => {
    const t = await privateTrainer(spec, adam);
    const history = await t.fit(train3, { epochs: 5, batchSize: 32, privacy: PRIVATE });
    expect(history).toHaveLength(5);
    expect((await t.evaluate(test3)).accuracy!).toBeGreaterThan(0.9);
    await t.release();
  });

  it('noise moves the weights: σ = 0 and σ = 1 end apart from the same start', async () => {
    const a = await privateTrainer(spec, adam);
    await a.fit(train3, { epochs: 1, batchSize: 32, privacy: { noiseMultiplier: 0 } });
    const b = await privateTrainer(spec, adam);
    await b.fit(train3, { epochs: 1, batchSize: 32, privacy: PRIVATE });
    const pa = (await a.state()).parameters.get('dense1.weight')!.data as Float32Array;
    const pb = (await b.state()).parameters.get('dense1.weight')!.data as Float32Array;
    expect(Math.max(...pa.map((v, i) => Math.abs(v - pb[i]!)))).toBeGreaterThan(1e-3);
    await a.release();
    await b.release();
  });

  it('the epoch Loop and one run a step take the same steps', async () => {
    const a = await privateTrainer(spec, adam);
    await a.fit(train3, { epochs: 2, batchSize: 32, privacy: PRIVATE });
    const b = await privateTrainer(spec, adam);
    await b.fit(train3, { epochs: 2, batchSize: 32, privacy: PRIVATE, loop: false });
    const pa = await a.state();
    const pb = await b.state();
    expect(pb.step).toBe(pa.step);
    expect(pb.rng).toEqual(pa.rng);
    for (const [name, t] of pa.parameters) {
      const other = pb.parameters.get(name)!.data as Float32Array;
      (t.data as Float32Array).forEach((v, i) => expect(other[i]!).toBeCloseTo(v, 5));
    }
    await a.release();
    await b.release();
  });

  it('resumes bit-exact: 1 epoch, then 2 more from its state, equals 3 epochs straight', async () => {
    const straight = await privateTrainer(spec, adam);
    await straight.fit(train3, { epochs: 3, batchSize: 32, privacy: PRIVATE });
    const first = await privateTrainer(spec, adam);
    await first.fit(train3, { epochs: 1, batchSize: 32, privacy: PRIVATE });
    const resumed = await privateTrainer(spec, adam, await first.state());
    await resumed.fit(train3, { epochs: 3, batchSize: 32, privacy: PRIVATE });
    const a = await straight.state();
    const b = await resumed.state();
    expect(bits(b.parameters)).toEqual(bits(a.parameters));
    expect(bits(b.optimizerState)).toEqual(bits(a.optimizerState));
    expect(b.history.map((r) => r.loss)).toEqual(a.history.map((r) => r.loss));
    for (const t of [straight, first, resumed]) await t.release();
  });

  it('refuses a fit without the noise multiplier, a negative σ, and chunked data', async () => {
    const t = await privateTrainer(spec, adam);
    await expect(t.fit(train3, { epochs: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(t.fit(train3, { epochs: 1, privacy: { noiseMultiplier: -1 } })).rejects.toThrow(/noiseMultiplier/);
    await expect(
      t.fitChunks(
        async function* () {
          yield train3;
        },
        { epochs: 1, privacy: PRIVATE },
      ),
    ).rejects.toThrow(/Poisson sampling/);
    await t.release();
  });

  it('refuses class weights and global clipping with privacy', () => {
    expect(() => buildTrainingArtifacts(spec, adam, { privacy: { clipNorm: 1 }, classWeights: [1, 2, 1] })).toThrow(/classWeights/);
    expect(() => buildTrainingArtifacts(spec, adam, { privacy: { clipNorm: 1 }, clipNorm: 1 })).toThrow(/clipNorm/);
    expect(() => buildTrainingArtifacts(spec, adam, { privacy: { clipNorm: 0 } })).toThrow(/privacy.clipNorm/);
  });
});
