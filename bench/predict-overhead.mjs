// `node bench/predict-overhead.mjs`: what the library adds to ONNX Runtime at prediction time.
// Both sides run on onnxruntime-node with its default session options (the library's for native).
//
// (1) One record. Library: @onnx-mlp/web's model.predict([record]) — checks the record, encodes it
// with the model's preprocessing metadata, builds the input tensor, runs, and returns the class name
// with every class's probability by name. Raw: session.run({ input }) on the same record already
// encoded, with its tensor built once outside the timing; it returns the model's two outputs (the
// probabilities and the int64 argmax `label`), the same information less the names. p50 and p99
// over --calls calls each, interleaved in blocks of 100 (the order alternating per block) so that
// load on the machine hits both alike.
// (2) Batch throughput. Library: model.predictArrays(rows) on the MNIST model — 4,096-row runs on
// views of the caller's array, the probabilities as one array and each row's class name. Raw:
// session.run on views of the same rows in the same 4,096-row runs, both outputs as ORT returns
// them, nothing joined or named. Rows/s per pass; passes alternate (lib, raw, raw, lib, ...), and
// the ratio is the median over adjacent pairs, which cancels load that drifts between passes.
// The load average is printed before and after: other processes on the machine move p99 most.
// Usage: node bench/predict-overhead.mjs CUSTOMERS_MODEL.onnx [--calls 20000] [--rows 65536] [--passes 15]
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeRecord } from '../packages/core/dist/index.js';
import { loadModel } from '../packages/web/dist/index.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: 'string', default: '20000' },
    rows: { type: 'string', default: '65536' },
    passes: { type: 'string', default: '15' },
  },
});
const calls = Number(opts.calls);
// The library opens native sessions with ORT's defaults; the raw sessions get the same.
const sessionOptions = {};
const record = { age: 41, monthly_fee: 57.7, plan: 'pro', region: null, support_calls: 2, autopay: 'yes' };

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Times `calls` calls of each function in blocks of 100, alternating which goes first, and returns their latencies in µs. */
async function interleaved(fns) {
  const times = fns.map(() => []);
  for (let i = 0; i < 500; i++) for (const f of fns) await f(); // warm-up
  for (let done = 0, block = 0; done < calls; done += 100, block++) {
    const order = block % 2 === 0 ? [...fns.keys()] : [...fns.keys()].reverse();
    for (const k of order) {
      for (let i = 0; i < 100; i++) {
        const t0 = process.hrtime.bigint();
        await fns[k]();
        times[k].push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
  }
  return times;
}

console.log(`load average (1, 5, 15 min) at start: ${load()}`);
const bytes = readFileSync(positionals[0]);
const model = await loadModel(new Uint8Array(bytes), { runtime: ort });
const raw = await ort.InferenceSession.create(bytes, sessionOptions);
const meta = JSON.parse(decodeModel(bytes).metadata.get('onnx_mlp.preprocessing'));
const encoded = encodeRecord(meta, record);
const input = new ort.Tensor('float32', Float32Array.from(encoded), [1, encoded.length]);
const [lib, bare] = await interleaved([() => model.predict([record]), () => raw.run({ input })]);
const [l50, l99, r50, r99] = [quantile(lib, 0.5), quantile(lib, 0.99), quantile(bare, 0.5), quantile(bare, 0.99)];
console.log(
  `one record (${calls} calls each): model.predict p50 ${l50.toFixed(1)} µs, p99 ${l99.toFixed(1)} µs; raw session.run p50 ${r50.toFixed(1)} µs, p99 ${r99.toFixed(1)} µs; ratio p50 ${(l50 / r50).toFixed(2)}, p99 ${(l99 / r99).toFixed(2)}`,
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
const sides = { lib: () => mnist.predictArrays(features, rows), raw: rawBatches };
const seconds = { lib: [], raw: [] };
await sides.lib(); // warm-up
await sides.raw();
for (let pass = 0; pass < Number(opts.passes); pass++) {
  for (const k of pass % 2 === 0 ? ['lib', 'raw'] : ['raw', 'lib']) {
    const t0 = performance.now();
    await sides[k]();
    seconds[k].push((performance.now() - t0) / 1000);
  }
}
const median = (xs) => quantile(xs, 0.5);
const pairRatio = median(seconds.lib.map((s, i) => s / seconds.raw[i]));
console.log(
  `batch (${rows} MNIST rows, ${opts.passes} passes each): model.predictArrays ${(rows / median(seconds.lib)).toFixed(0)} rows/s, raw session.run ${(rows / median(seconds.raw)).toFixed(0)} rows/s (medians); library time / raw time, median over pairs: ${pairRatio.toFixed(2)}`,
);
console.log(`load average at end: ${load()}`);
await Promise.all([model.dispose(), raw.release(), mnist.dispose(), mnistRaw.release()]);
