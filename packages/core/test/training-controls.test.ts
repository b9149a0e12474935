import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  type Dataset,
  Trainer,
  buildTrainingArtifacts,
  encodeModel,
  initialState,
  mlpSpec,
  optimizerConfig,
  parseSchedule,
  type EpochRecord,
} from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { constantRate, cosineDecay, linearWarmup, stepDecay, stoppingStatus } from '@onnx-mlp/core/training';
import { IO, packTensors } from '@onnx-mlp/core/internal';

describe('learning-rate schedules give the documented rates', () => {
  it('constant, step, cosine, warm-up', () => {
    expect([1, 100].map(constantRate(0.1))).toEqual([0.1, 0.1]);
    const step = stepDecay(0.1, 10, 0.5);
    expect([1, 10, 11, 20, 21].map(step)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const cos = cosineDecay(1, 11, 0.1);
    expect(cos(1)).toBe(1);
    expect(cos(6)).toBeCloseTo(0.55, 12);
    expect(cos(11)).toBeCloseTo(0.1, 12);
    expect(cos(50)).toBeCloseTo(0.1, 12);
    expect([1, 2, 3, 4, 5].map(linearWarmup(4, constantRate(1)))).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(parseSchedule({ name: 'step', rate: 1, totalSteps: 30 })(11)).toBeCloseTo(0.1, 12);
    expect(() => parseSchedule({ name: 'exp', rate: 1, totalSteps: 30 })).toThrow(/schedule = "exp"/);
  });
});

function blobs(rows: number, seed: number, classes = 3): Dataset {
  const rng = new Rng(seed);
  const features = new Float32Array(rows * 2);
  const targets = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = i % classes;
    targets[i] = c;
    features[2 * i] = Math.cos((2 * Math.PI * c) / classes) * 2 + rng.normal() * 0.5;
    features[2 * i + 1] = Math.sin((2 * Math.PI * c) / classes) * 2 + rng.normal() * 0.5;
  }
  return { features, rows, cols: 2, targets };
}

/** Runs one train step on fixed parameters and returns loss, logits and parameter deltas. */
async function oneStep(options: Parameters<typeof buildTrainingArtifacts>[2], task: 'multiclass' | 'binary' = 'multiclass') {
  const spec = mlpSpec({ inputs: 2, hidden: [8], outputs: task === 'binary' ? 1 : 3, task });
  const art = buildTrainingArtifacts(spec, optimizerConfig('sgd', { learningRate: 1 }), options);
  const state = initialState(art, 5);
  const session = await ort.InferenceSession.create(encodeModel(art.trainingModel));
  const data = blobs(16, 9);
  const labels = task === 'binary' ? data.targets.map((y) => (y > 0 ? 1 : 0)) : data.targets;
  const feeds: Record<string, ort.Tensor> = {
    [IO.input]: new ort.Tensor('float32', data.features, [16, 2]),
    [IO.target]:
      task === 'binary'
        ? new ort.Tensor('float32', Float32Array.from(labels), [16, 1])
        : new ort.Tensor(
            'int64',
            BigInt64Array.from(labels, (y) => BigInt(y)),
            [16],
          ),
    [IO.learningRate]: new ort.Tensor('float32', Float32Array.of(1), []),
    [IO.step]: new ort.Tensor('float32', Float32Array.of(1), []),
  };
  const before = packTensors(art.layout, state.parameters);
  feeds[IO.parameters] = new ort.Tensor('float32', before, [before.length]);
  const out = await session.run(feeds);
  const after = out[IO.updated(IO.parameters)]!.data as Float32Array;
  const deltas = Array.from(before, (v, i) => v - after[i]!);
  return { loss: (out[IO.loss]!.data as Float32Array)[0]!, logits: Array.from(out[IO.logits]!.data as Float32Array), labels, deltas };
}

const norm = (v: number[]) => Math.hypot(...v);

describe('gradient clipping by global norm', () => {
  it('scales the whole update down to the limit and keeps its direction', async () => {
    const free = await oneStep({});
    const clipped = await oneStep({ clipNorm: 0.05 });
    expect(norm(free.deltas)).toBeGreaterThan(0.1); // so the limit really binds
    expect(norm(clipped.deltas)).toBeCloseTo(0.05, 5);
    const cos = free.deltas.reduce((s, v, i) => s + v * clipped.deltas[i]!, 0) / (norm(free.deltas) * norm(clipped.deltas));
    expect(cos).toBeCloseTo(1, 5);
  });
  it('leaves a gradient under the limit untouched', async () => {
    const free = await oneStep({});
    const loose = await oneStep({ clipNorm: 1e6 });
    loose.deltas.forEach((v, i) => expect(v).toBeCloseTo(free.deltas[i]!, 7));
  });
});

describe('class weights change the loss as computed by hand', () => {
  it('multiclass: sum of w[y] * cross-entropy over N', async () => {
    const w = [0.5, 2, 3];
    const { loss, logits, labels } = await oneStep({ classWeights: w });
    let total = 0;
    labels.forEach((y, i) => {
      const row = logits.slice(3 * i, 3 * i + 3);
      const lse = Math.log(row.reduce((s, z) => s + Math.exp(z), 0));
      total += w[y]! * (lse - row[y]!);
    });
    expect(loss).toBeCloseTo(total / labels.length, 5);
    expect(Math.abs(loss - (await oneStep({})).loss)).toBeGreaterThan(1e-3);
  });
  it('binary: w0 (1 - y) + w1 y times the cross-entropy', async () => {
    const { loss, logits, labels } = await oneStep({ classWeights: [0.25, 4] }, 'binary');
    const hand =
      labels.reduce((s, y, i) => {
        const p = 1 / (1 + Math.exp(-logits[i]!));
        return s - (y ? 4 * Math.log(p) : 0.25 * Math.log(1 - p));
      }, 0) / labels.length;
    expect(loss).toBeCloseTo(hand, 5);
  });
  it('refuses weights of the wrong count, naming the option', () => {
    const spec = mlpSpec({ inputs: 2, hidden: [4], outputs: 3 });
    expect(() => buildTrainingArtifacts(spec, optimizerConfig('adam'), { classWeights: [1, 2] })).toThrow(/classWeights/);
  });
});

const rec = (epoch: number, valLoss: number): EpochRecord => ({ epoch, loss: 1, valLoss, learningRate: 0.1, seconds: 0 });

describe('early stopping', () => {
  it('counts patience from the best epoch (a pure function of the history)', () => {
    const h = [rec(1, 1), rec(2, 0.5), rec(3, 0.6), rec(4, 0.55)];
    expect(stoppingStatus(h.slice(0, 3), { patience: 2 }, 'val_loss')).toEqual({ bestEpoch: 2, improved: false, stop: false });
    expect(stoppingStatus(h, { patience: 2 }, 'val_loss')).toEqual({ bestEpoch: 2, improved: false, stop: true });
    expect(stoppingStatus(h.slice(0, 2), { patience: 1, minDelta: 0.6 }, 'val_loss').bestEpoch).toBe(1);
  });

  it('stops a run whose validation loss stops improving, and restores the best weights', async () => {
    // Validation labels unrelated to the features: validation loss soon rises while training loss falls.
    const train = blobs(300, 1);
    const noisy = blobs(300, 2);
    const shuffled = new Rng(3).permutation(300);
    const validation = { ...noisy, targets: Float32Array.from(shuffled, (i) => noisy.targets[i]!) };
    const spec = mlpSpec({ inputs: 2, hidden: [32], outputs: 3 });
    const art = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.05 }));
    const trainer = await Trainer.create(ort, art, initialState(art, 1));
    const history = await trainer.fit(train, {
      epochs: 50,
      batchSize: 16,
      validationData: validation,
      earlyStopping: { patience: 2, restoreBestWeights: true },
    });
    expect(trainer.stoppedEarly).toBe(true);
    expect(history.length).toBeLessThan(50);
    const best = history.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(history.length - best.epoch).toBe(2);
    expect((await trainer.evaluate(validation)).loss).toBeCloseTo(best.valLoss!, 6);
    expect(history[history.length - 1]!.valLoss).not.toBeCloseTo(best.valLoss!, 6);
  });
});

it('validationSplit holds out the last rows, as Keras does', async () => {
  const data = blobs(100, 4);
  const spec = mlpSpec({ inputs: 2, hidden: [4], outputs: 3 });
  const art = buildTrainingArtifacts(spec, optimizerConfig('adam'));
  const a = await Trainer.create(ort, art, initialState(art, 1));
  const [h] = await a.fit(data, { epochs: 1, batchSize: 10, validationSplit: 0.2, shuffle: false });
  const b = await Trainer.create(ort, art, initialState(art, 1));
  const tail = { ...data, rows: 20, features: data.features.slice(160), targets: data.targets.slice(80) };
  const head = { ...data, rows: 80, features: data.features.slice(0, 160), targets: data.targets.slice(0, 80) };
  const [g] = await b.fit(head, { epochs: 1, batchSize: 10, validationData: tail, shuffle: false });
  expect(h!.valLoss).toBe(g!.valLoss);
  expect(h!.loss).toBe(g!.loss);
  await expect(a.fit(data, { epochs: 2, validationSplit: 1.5 })).rejects.toThrow(/validationSplit/);
});
