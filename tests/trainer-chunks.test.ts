import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig, type Dataset, type EpochRecord } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';

function data(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const features = Float32Array.from({ length: rows * 4 }, () => rng.normal());
  const targets = Float32Array.from({ length: rows }, (_, r) => (features[r * 4]! + features[r * 4 + 1]! > 0 ? 1 : 0));
  return { features, rows, cols: 4, targets };
}

function slice(d: Dataset, from: number, to: number): Dataset {
  return { features: d.features.slice(from * d.cols, to * d.cols), rows: to - from, cols: d.cols, targets: d.targets.slice(from, to) };
}

const strip = (h: readonly EpochRecord[]) => h.map(({ seconds: _, ...r }) => r);

describe('Trainer.fitChunks', () => {
  const artifacts = buildTrainingArtifacts(
    mlpSpec({ inputs: 4, hidden: [8], outputs: 2 }),
    optimizerConfig('adam', { learningRate: 0.01 }),
  );
  const train = data(300, 1);
  const validation = data(50, 2);

  it('with the whole data as one chunk is exactly fit (same shuffles, Loop and step batches, validation)', async () => {
    const a = await Trainer.create(ort, artifacts, initialState(artifacts, 3));
    const b = await Trainer.create(ort, artifacts, initialState(artifacts, 3));
    try {
      const fit = await a.fit(train, { epochs: 2, batchSize: 32, validationData: validation });
      const chunked = await b.fitChunks(
        async function* () {
          yield train;
        },
        { epochs: 2, batchSize: 32, validationData: () => validation },
      );
      expect(strip(chunked)).toEqual(strip(fit));
      expect((await b.state()).parameters.get('dense1.weight')).toEqual((await a.state()).parameters.get('dense1.weight'));
    } finally {
      await a.release();
      await b.release();
    }
  });

  it('trains on successive chunks, numbering batches across them, and checkpoints every epoch', async () => {
    const t = await Trainer.create(ort, artifacts, initialState(artifacts, 3));
    const batches: number[] = [];
    const ends: number[] = [];
    try {
      const history = await t.fitChunks(
        async function* () {
          yield slice(train, 0, 100);
          yield slice(train, 100, 200);
          yield slice(train, 200, 300);
        },
        {
          epochs: 3,
          batchSize: 32,
          batchesPerEpoch: 12,
          onBatchEnd: (e) => {
            if (e.epoch === 1) batches.push(e.batch);
          },
          onEpochEnd: (_r, s) => {
            ends.push(s.epoch);
          },
        },
      );
      expect(batches).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(ends).toEqual([1, 2, 3]);
      expect(history).toHaveLength(3);
      expect(history[2]!.loss).toBeLessThan(history[0]!.loss);
      expect(history[0]!.valLoss).toBeUndefined();
    } finally {
      await t.release();
    }
  });
});
