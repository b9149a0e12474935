// This machine's float32 matrix-multiply peak as ORT itself reaches it: the best of several
// 2048 x 2048 x 2048 MatMuls. Prints GFLOP/s as one JSON line.
import * as ort from 'onnxruntime-node';
import * as ir from '../packages/core/dist/entry/ir.js';

const n = 2048;
const threads = Number(process.argv[2] ?? 2);
const b = new ir.GraphBuilder('gemm_peak');
const x = b.input('a', ir.DataType.FLOAT, [n, n]);
const y = b.input('b', ir.DataType.FLOAT, [n, n]);
b.output(b.op('MatMul', [x, y]), 'c');
const session = await ort.InferenceSession.create(ir.encodeModel(ir.makeModel(b.build())), { intraOpNumThreads: threads });
const a = new ort.Tensor(
  'float32',
  Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7),
  [n, n],
);
let best = Infinity;
for (let i = 0; i < 8; i++) {
  const t0 = performance.now();
  await session.run({ a, b: a });
  best = Math.min(best, (performance.now() - t0) / 1000);
}
console.log(JSON.stringify({ gflops: (2 * n ** 3) / best / 1e9 }));
