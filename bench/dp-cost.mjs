// `node bench/dp-cost.mjs [ROUNDS]`: seconds per epoch of DP-SGD (σ = 1, C = 1) against the same
// non-private training, 784-128-128-10 on 8,000 rows of 784 features (MNIST's shape; the values do
// not change the time), batch 128, Adam, 2 threads. Epochs of the two alternate in one process so
// both see the same machine load; prints the median of each, their ratio, and the host's share of a
// DP epoch (drawing the Poisson batches and the noise). A benchmark, not a test: it asserts nothing.
import * as ort from 'onnxruntime-node';
import { Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { gaussianNoise, poissonBatches } from '@onnx-mlp/core/privacy';
import { cpus, loadavg } from 'node:os';

const rounds = Number(process.argv[2] ?? 8);
const rows = 8000;
const rng = new Rng(1);
const data = {
  rows,
  cols: 784,
  features: Float32Array.from({ length: rows * 784 }, () => rng.uniform()),
  targets: Float32Array.from({ length: rows }, () => rng.int(10)),
};
const spec = mlpSpec({ inputs: 784, hidden: [128, 128], outputs: 10 });
const adam = optimizerConfig('adam');
const sessionOptions = { intraOpNumThreads: 2, interOpNumThreads: 1 };

async function trainer(privacy) {
  const artifacts = buildTrainingArtifacts(spec, adam, privacy ? { privacy: { clipNorm: 1 } } : {});
  return Trainer.create(ort, artifacts, initialState(artifacts, 42), { sessionOptions });
}

const plain = await trainer(false);
const dp = await trainer(true);
const times = { plain: [], dp: [] };
for (let epoch = 1; epoch <= rounds + 1; epoch++) {
  for (const [name, t] of [
    ['plain', plain],
    ['dp', dp],
  ]) {
    const start = performance.now();
    await t.fit(data, { epochs: epoch, batchSize: 128, ...(name === 'dp' ? { privacy: { noiseMultiplier: 1 } } : {}) });
    // The first epoch includes session warm-up: not counted.
    if (epoch > 1) times[name].push((performance.now() - start) / 1000);
  }
}
const host = [];
for (let k = 0; k < rounds; k++) {
  const start = performance.now();
  poissonBatches(rng, { rows, steps: Math.ceil(rows / 128), q: 128 / rows, weight: 1 / 128 });
  gaussianNoise(rng, Math.ceil(rows / 128) * dp.artifacts.layout.total, 0.01);
  host.push((performance.now() - start) / 1000);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = median(times.plain);
const d = median(times.dp);
console.log(
  JSON.stringify({
    rounds,
    plainSecondsPerEpoch: +p.toFixed(3),
    dpSecondsPerEpoch: +d.toFixed(3),
    ratio: +(d / p).toFixed(2),
    hostSamplingAndNoiseSeconds: +median(host).toFixed(3),
    loadAverage: loadavg()[0],
    cpus: cpus().length,
  }),
);
await plain.release();
await dp.release();
