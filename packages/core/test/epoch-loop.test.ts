import * as ort from 'onnxruntime-node';
import { expect, it } from 'vitest';
import { Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig, type Dataset } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';

function data(rows: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const features = Float32Array.from({ length: rows * 6 }, () => rng.normal());
  const targets = Float32Array.from(
    { length: rows },
    (_, i) => (features[6 * i]! + features[6 * i + 1]! > 0 ? 1 : 0) + (features[6 * i + 2]! > 1 ? 1 : 0),
  );
  return { features, rows, cols: 6, targets };
}

// The epoch Loop must be an optimisation only: the same updates, noise and order as one run() a batch.
it('an epoch inside one ONNX Loop gives exactly the parameters of one run() per batch', async () => {
  const spec = mlpSpec({ inputs: 6, hidden: [16, 8], outputs: 3, dropout: 0.3 });
  const art = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.01 }), { clipNorm: 1 });
  const train = data(203, 1); // 203 = 12 full batches of 16 and a partial one of 11
  const results = [];
  for (const loop of [true, false]) {
    const t = await Trainer.create(ort, art, initialState(art, 9));
    const history = await t.fit(train, { epochs: 3, batchSize: 16, loop, learningRate: (s) => 0.01 / Math.sqrt(s) });
    results.push({ history, state: await t.state() });
  }
  const [looped, stepwise] = results;
  expect(looped!.state.step).toBe(3 * 13);
  expect(looped!.history.map((h) => h.loss)).toEqual(stepwise!.history.map((h) => h.loss));
  for (const [name, t] of looped!.state.parameters) {
    expect(Array.from(t.data as Float32Array), name).toEqual(Array.from(stepwise!.state.parameters.get(name)!.data as Float32Array));
  }
  expect(looped!.history[2]!.loss).toBeLessThan(looped!.history[0]!.loss);
});
