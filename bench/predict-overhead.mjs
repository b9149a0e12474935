// `node bench/predict-overhead.mjs`: what the library adds to ONNX Runtime at prediction time.
// (1) One record: @onnx-mlp/web's model.predict([record]) (preprocessing metadata -> input vector,
// run, argmax, class names) against a raw session.run on the same, already encoded input; p50 and
// p99 over --calls calls each, interleaved in blocks so that load on the machine hits both alike.
// (2) Batch throughput: model.predictArrays on the MNIST model against raw session.run on the
// same rows in the same 4,096-row runs. Both on onnxruntime-node with its default session options.
// Usage: node bench/predict-overhead.mjs CUSTOMERS_MODEL.onnx [--calls 5000] [--rows 65536]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeRecord } from '../packages/core/dist/index.js';
import { loadModel } from '../packages/web/dist/index.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { calls: { type: 'string', default: '5000' }, rows: { type: 'string', default: '65536' } },
});
const calls = Number(opts.calls);
// The library opens native sessions with ORT's defaults; the raw sessions get the same.
const sessionOptions = {};
const record = { age: 41, monthly_fee: 57.7, plan: 'pro', region: null, support_calls: 2, autopay: 'yes' };

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Times `calls` calls of each function, alternating blocks of 100, and returns their latencies in µs. */
async function interleaved(fns) {
  const times = fns.map(() => []);
  for (let i = 0; i < 200; i++) for (const f of fns) await f(); // warm-up
  for (let done = 0; done < calls; done += 100) {
    for (const [k, f] of fns.entries()) {
      for (let i = 0; i < 100; i++) {
        const t0 = process.hrtime.bigint();
        await f();
        times[k].push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
  }
  return times;
}

const bytes = readFileSync(positionals[0]);
const model = await loadModel(new Uint8Array(bytes), { runtime: ort });
const raw = await ort.InferenceSession.create(bytes, sessionOptions);
const meta = JSON.parse(decodeModel(bytes).metadata.get('onnx_mlp.preprocessing'));
const encoded = encodeRecord(meta, record);
const input = new ort.Tensor('float32', Float32Array.from(encoded), [1, encoded.length]);
const [lib, bare] = await interleaved([() => model.predict([record]), () => raw.run({ input })]);
console.log(
  `one record (${calls} calls each): model.predict p50 ${quantile(lib, 0.5).toFixed(1)} µs, p99 ${quantile(lib, 0.99).toFixed(1)} µs; raw session.run p50 ${quantile(bare, 0.5).toFixed(1)} µs, p99 ${quantile(bare, 0.99).toFixed(1)} µs; ratio p50 ${(quantile(lib, 0.5) / quantile(bare, 0.5)).toFixed(2)}, p99 ${(quantile(lib, 0.99) / quantile(bare, 0.99)).toFixed(2)}`,
);

const mnistBytes = readFileSync(new URL('../models/mnist-mlp.onnx', import.meta.url));
const mnist = await loadModel(new Uint8Array(mnistBytes), { runtime: ort });
const mnistRaw = await ort.InferenceSession.create(mnistBytes, sessionOptions);
const rows = Number(opts.rows);
const features = Float32Array.from({ length: rows * 784 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
const rawBatches = async () => {
  for (let r = 0; r < rows; r += 4096) {
    const n = Math.min(4096, rows - r);
    await mnistRaw.run({ input: new ort.Tensor('float32', features.subarray(r * 784, (r + n) * 784), [n, 784]) });
  }
};
const rates = { lib: [], raw: [] };
for (let rep = 0; rep < 5; rep++) {
  for (const [k, f] of [
    ['lib', () => mnist.predictArrays(features, rows)],
    ['raw', rawBatches],
  ]) {
    const t0 = performance.now();
    await f();
    rates[k].push(rows / ((performance.now() - t0) / 1000));
  }
}
const best = (xs) => quantile(xs, 0.5);
console.log(
  `batch (${rows} MNIST rows, median of 5): model.predictArrays ${best(rates.lib).toFixed(0)} rows/s, raw session.run ${best(rates.raw).toFixed(0)} rows/s; raw / library ${(best(rates.raw) / best(rates.lib)).toFixed(2)}`,
);
await Promise.all([model.dispose(), raw.release(), mnist.dispose(), mnistRaw.release()]);
