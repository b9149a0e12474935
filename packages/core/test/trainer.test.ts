import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  DataError,
  type Dataset,
  type EpochRecord,
  type MlpSpec,
  type OptimizerConfig,
  Trainer,
  TrainingDivergedError,
  type TrainingState,
  buildInferenceModel,
  buildTrainingArtifacts,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeModel,
  initialState,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import type { TensorMap } from '@onnx-mlp/core/model';
import { THREE_BLOBS, blobs, linearRegression, scaled } from './helpers/datasets.js';

const train3 = blobs(THREE_BLOBS, 100, 0.8, 1); // 300 rows, 2 features
const test3 = blobs(THREE_BLOBS, 100, 0.8, 2); // fresh draws from the same blobs
const multiclass = mlpSpec({ inputs: 2, hidden: [16], outputs: 3 });

async function trainer(spec: MlpSpec, optimizer: OptimizerConfig, seed: number, state?: TrainingState): Promise<Trainer> {
  const artifacts = buildTrainingArtifacts(spec, optimizer);
  return Trainer.create(ort, artifacts, state ?? initialState(artifacts, seed));
}

const bits = (m: TensorMap) =>
  Object.fromEntries([...m].map(([n, t]) => [n, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]));
const losses = (h: readonly EpochRecord[]) => h.map((r) => [r.loss, r.accuracy]);
const allFinite = (m: TensorMap) => [...m.values()].every((t) => Array.from(t.data as Float32Array).every(Number.isFinite));

describe('Trainer learns (onnxruntime-node CPU)', () => {
  it('3 Gaussian blobs (300 rows, 2 features): > 95 % accuracy on fresh data after 5 epochs of Adam', async () => {
    const t = await trainer(multiclass, optimizerConfig('adam', { learningRate: 0.05 }), 1);
    const before = await t.evaluate(test3);
    const history = await t.fit(train3, { epochs: 5, batchSize: 16 });
    const after = await t.evaluate(test3);
    expect(before.accuracy!).toBeLessThan(0.7);
    expect(after.accuracy!).toBeGreaterThan(0.95);
    expect(history.at(-1)!.accuracy!).toBeGreaterThan(0.95);
    expect(after.loss).toBeLessThan(before.loss / 10);
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    await t.release();
  });

  it('binary (two blobs): loss falls by 3x or more in 5 epochs, accuracy > 90 %', async () => {
    const data = blobs(
      [
        [-1.5, 0],
        [1.5, 0],
      ],
      150,
      0.8,
      3,
    );
    const t = await trainer(
      mlpSpec({ inputs: 2, hidden: [8], outputs: 1, task: 'binary' }),
      optimizerConfig('adam', { learningRate: 0.05 }),
      1,
    );
    const before = await t.evaluate(data);
    await t.fit(data, { epochs: 5, batchSize: 16 });
    const after = await t.evaluate(data);
    expect(after.loss).toBeLessThan(before.loss / 3);
    expect(after.accuracy!).toBeGreaterThan(0.9);
    await t.release();
  });

  it('regression (linear target, 3 inputs, 2 outputs, noise 0.1): MSE falls by 50x or more in 10 epochs', async () => {
    const data = linearRegression(300, 3, 2, 0.1, 4);
    const t = await trainer(
      mlpSpec({ inputs: 3, hidden: [16], outputs: 2, task: 'regression' }),
      optimizerConfig('adam', { learningRate: 0.02 }),
      1,
    );
    const before = await t.evaluate(data);
    const history = await t.fit(data, { epochs: 10, batchSize: 16 });
    const after = await t.evaluate(data);
    expect(after.loss).toBeLessThan(before.loss / 50);
    expect(after.accuracy).toBeUndefined();
    expect(history[0]!.accuracy).toBeUndefined();
    await t.release();
  });

  it("an epoch's loss is the row-weighted mean of its batch losses; valLoss is evaluate()'s loss", async () => {
    const t = await trainer(multiclass, optimizerConfig('sgd', { learningRate: 0.1, momentum: 0.9 }), 4);
    const batches: number[] = [];
    const history = await t.fit(train3, {
      epochs: 1,
      batchSize: 64,
      validationData: test3,
      onBatchEnd: (e) => batches.push(e.loss),
    });
    expect(batches.length).toBe(5); // 64, 64, 64, 64, 44 rows
    const weighted = (batches.slice(0, 4).reduce((a, b) => a + b, 0) * 64 + batches[4]! * 44) / 300;
    expect(Math.abs(history[0]!.loss - weighted)).toBeLessThan(1e-12);
    const val = await t.evaluate(test3);
    expect(history[0]!.valLoss).toBe(val.loss);
    expect(history[0]!.valAccuracy).toBe(val.accuracy);
    await t.release();
  });

  it('the learning-rate schedule is what the graph uses: a zero schedule leaves the parameters bit-identical', async () => {
    const artifacts = buildTrainingArtifacts(multiclass, optimizerConfig('sgd', { learningRate: 0.5 }));
    const start = initialState(artifacts, 2);
    const t = await Trainer.create(ort, artifacts, start);
    const seen: number[] = [];
    const history = await t.fit(train3, {
      epochs: 1,
      batchSize: 100,
      learningRate: (step) => {
        seen.push(step);
        return 0;
      },
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(history[0]!.learningRate).toBe(0);
    const after = await t.state();
    expect(bits(after.parameters)).toEqual(bits(start.parameters));
    expect(after.step).toBe(3);
    await t.release();
  });
});

// With dropout the host draws the noise from the trainer's generator, so bit-identical resumption
// also needs that generator's state to be checkpointed after the epoch's noise draws.
describe.each([
  ['no dropout', multiclass],
  ['dropout 0.2', mlpSpec({ inputs: 2, hidden: [16, 8], outputs: 3, dropout: 0.2 })],
])('Trainer is deterministic and resumable (%s)', (_, spec) => {
  const adam = optimizerConfig('adam', { learningRate: 0.01 });

  async function run(seed: number, epochs: number) {
    const t = await trainer(spec, adam, seed);
    const history = await t.fit(train3, { epochs, batchSize: 32 });
    const state = await t.state();
    await t.release();
    return { history, state };
  }

  it('two runs with the same seed give bit-identical parameters, optimizer state and loss history; another seed differs', async () => {
    const a = await run(7, 3);
    const b = await run(7, 3);
    const c = await run(8, 3);
    expect(bits(a.state.parameters)).toEqual(bits(b.state.parameters));
    expect(bits(a.state.optimizerState)).toEqual(bits(b.state.optimizerState));
    expect(losses(a.history)).toEqual(losses(b.history));
    expect(a.state.rng).toEqual(b.state.rng);
    const pa = bits(a.state.parameters);
    const pc = bits(c.state.parameters);
    for (const name of Object.keys(pa)) if (!name.endsWith('bias')) expect(pc[name], name).not.toBe(pa[name]);
    expect(losses(c.history)).not.toEqual(losses(a.history));
  });

  it('2 epochs, checkpoint (encode/decode), new Trainer, 2 more = an uninterrupted 4-epoch run, bit for bit', async () => {
    const straight = await run(11, 4);

    const first = await trainer(spec, adam, 11);
    await first.fit(train3, { epochs: 2, batchSize: 32 });
    const bytes = encodeCheckpoint({ spec, optimizer: adam, ...(await first.state()), extra: { note: 'resume test' } });
    await first.release();

    const ckpt = decodeCheckpoint(bytes);
    expect(ckpt.epoch).toBe(2);
    expect(ckpt.step).toBe(20); // ceil(300 / 32) = 10 updates an epoch
    expect(ckpt.spec).toEqual(spec);
    expect(ckpt.optimizer).toEqual(adam);
    expect(ckpt.extra).toEqual({ note: 'resume test' });
    expect([...ckpt.optimizerState.keys()]).toEqual(['m', 'v'].flatMap((s) => [...ckpt.parameters.keys()].map((p) => `${p}.${s}`)));
    expect(ckpt.parameters.size).toBe(2 * (spec.hidden.length + 1));
    const second = await trainer(ckpt.spec, ckpt.optimizer, 0, ckpt);
    const history = await second.fit(train3, { epochs: 4, batchSize: 32 });
    const resumed = await second.state();
    await second.release();

    expect(resumed.epoch).toBe(4);
    expect(resumed.step).toBe(40);
    expect(bits(resumed.parameters)).toEqual(bits(straight.state.parameters));
    expect(bits(resumed.optimizerState)).toEqual(bits(straight.state.optimizerState));
    expect(losses(history)).toEqual(losses(straight.history));
    expect(resumed.rng).toEqual(straight.state.rng);
  });
});

describe('Trainer failures', () => {
  it('decodeCheckpoint refuses a model that is not a checkpoint, with CheckpointError', () => {
    const bytes = encodeModel(
      buildInferenceModel(multiclass, initialState(buildTrainingArtifacts(multiclass, optimizerConfig('sgd')), 1).parameters),
    );
    expect(() => decodeCheckpoint(bytes)).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(bytes)).toThrow(/not an onnx-mlp checkpoint/);
  });

  it('a label out of range throws DataError before any step: no batch ran, parameters untouched', async () => {
    const labels = Float32Array.from(train3.targets);
    labels[299] = 3; // the very last row, so a lazy check would have trained first
    const bad: Dataset = { ...train3, targets: labels };
    const artifacts = buildTrainingArtifacts(multiclass, optimizerConfig('sgd', { learningRate: 0.1 }));
    const start = initialState(artifacts, 3);
    const t = await Trainer.create(ort, artifacts, start);
    let batches = 0;
    const err = await t
      .fit(bad, {
        epochs: 1,
        onBatchEnd: () => {
          batches++;
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/row 300 has label 3, outside the class range 0\.\.2/);
    expect(batches).toBe(0);
    const after = await t.state();
    expect(after.step).toBe(0);
    expect(after.epoch).toBe(0);
    expect(bits(after.parameters)).toEqual(bits(start.parameters));
    await t.release();
  });

  it('SGD lr 1e6 on features x 1e6 throws TrainingDivergedError; state() is back at the start of the diverged epoch, finite', async () => {
    const artifacts = buildTrainingArtifacts(multiclass, optimizerConfig('sgd', { learningRate: 1e6 }));
    const start = initialState(artifacts, 1);
    const t = await Trainer.create(ort, artifacts, start);
    const err = await t.fit(scaled(train3, 1e6), { epochs: 3, batchSize: 16 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingDivergedError);
    const e = err as TrainingDivergedError;
    expect(Number.isFinite(e.loss)).toBe(false);
    expect(e.epoch).toBe(1);
    expect(e.message).toContain(`step ${e.step}`);
    const state = await t.state();
    expect(state.step).toBeLessThan(e.step);
    // The whole diverged epoch is undone: epoch 1's starting state is the initial one.
    expect(state.step).toBe(0);
    expect(state.epoch).toBe(0);
    expect(state.history).toEqual([]);
    expect(allFinite(state.parameters)).toBe(true);
    expect(bits(state.parameters)).toEqual(bits(start.parameters));
    await t.release();
  });

  // The loss is checked before each update, but the update itself is unchecked: an update that
  // overflows float32 while its own loss was finite leaves Infinity in the parameters, and only the
  // next step's loss is non-finite. So the trainer does not keep "the parameters before the bad
  // loss" but undoes the diverged epoch whole: parameters, optimizer state, step and generator go
  // back to where that epoch (here epoch 1, so the initial state) started.
  it('an update that overflows float32 (SGD lr 1e38, features x 1e3): TrainingDivergedError, state() back at the epoch start, finite', async () => {
    const artifacts = buildTrainingArtifacts(multiclass, optimizerConfig('sgd', { learningRate: 1e38 }));
    const start = initialState(artifacts, 1);
    const t = await Trainer.create(ort, artifacts, start);
    const err = await t.fit(scaled(train3, 1e3), { epochs: 1, batchSize: 16 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingDivergedError);
    const e = err as TrainingDivergedError;
    expect(e.epoch).toBe(1);
    expect(Number.isFinite(e.loss)).toBe(false);
    // The first step's loss was finite: what diverged is a later step, after an overflowing update.
    expect(e.step).toBeGreaterThan(1);
    const state = await t.state();
    expect(allFinite(state.parameters)).toBe(true);
    expect(bits(state.parameters)).toEqual(bits(start.parameters));
    expect(state.step).toBe(0);
    expect(state.epoch).toBe(0);
    await t.release();
  });

  // "Back to the last completed epoch" in full, past epoch 1: what state() holds after the throw is
  // what onEpochEnd handed out (the last checkpoint) — parameters, momentum, counters and generator,
  // so continuing this trainer and resuming from that checkpoint shuffle the same way.
  // (The generator must be saved before the epoch draws its shuffle, not after it.)
  it('divergence in epoch 2 (lr 1e38 from its first step): state() equals the checkpoint of epoch 1, generator included', async () => {
    const artifacts = buildTrainingArtifacts(multiclass, optimizerConfig('sgd', { learningRate: 0.05, momentum: 0.9 }));
    const t = await Trainer.create(ort, artifacts, initialState(artifacts, 1));
    const checkpoints: TrainingState[] = [];
    const perEpoch = Math.ceil(train3.rows / 16); // 19 steps an epoch
    const err = await t
      .fit(train3, {
        epochs: 3,
        batchSize: 16,
        learningRate: (step) => (step <= perEpoch ? 0.05 : 1e38),
        onEpochEnd: (_, state) => {
          checkpoints.push(state);
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as TrainingDivergedError).epoch).toBe(2);
    expect(checkpoints.length).toBe(1);
    const last = checkpoints[0]!;
    expect(last.step).toBe(perEpoch);
    const state = await t.state();
    expect(allFinite(state.parameters)).toBe(true);
    expect(bits(state.parameters)).toEqual(bits(last.parameters));
    expect(bits(state.optimizerState)).toEqual(bits(last.optimizerState));
    expect(state.step).toBe(perEpoch);
    expect(state.epoch).toBe(1);
    expect(state.history).toEqual(last.history);
    expect(state.rng).toEqual(last.rng);
    await t.release();
  });
});
