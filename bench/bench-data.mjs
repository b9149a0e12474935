// The data every runner of `npm run bench` trains on, written once as raw little-endian files under
// .bench/data/ so that the Python peers read the very rows onnx-mlp reads: x_train.f32, y_train.i32,
// x_test.f32, y_test.i32 and meta.json ({ rows, testRows, inputs, outputs }).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '../packages/core/dist/index.js';
import { Rng } from '../packages/core/dist/entry/model.js';
import { loadMnistDigits } from '../packages/cli/dist/data/mnist.js';

/** The folder of a setup's data at `rows` training rows (written on first use). */
export async function benchData(name, setup, rows = setup.rows) {
  const dir = join('.bench', 'data', `${name}-${rows}`);
  if (existsSync(join(dir, 'meta.json'))) return dir;
  const { train, test } = name === 'mnist' ? await mnist(rows) : teacher(setup, rows);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'x_train.f32'), train.features);
  writeFileSync(join(dir, 'y_train.i32'), Int32Array.from(train.targets));
  writeFileSync(join(dir, 'x_test.f32'), test.features);
  writeFileSync(join(dir, 'y_test.i32'), Int32Array.from(test.targets));
  const meta = { rows: train.rows, testRows: test.rows, inputs: setup.inputs, outputs: setup.outputs };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  return dir;
}

/** A setup's data back as onnx-mlp Datasets. */
export function readBenchData(dir) {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const f32 = (f) => new Float32Array(new Uint8Array(readFileSync(join(dir, f))).buffer);
  const labels = (f) => Float32Array.from(new Int32Array(new Uint8Array(readFileSync(join(dir, f))).buffer));
  return {
    meta,
    train: { features: f32('x_train.f32'), rows: meta.rows, cols: meta.inputs, targets: labels('y_train.i32') },
    test: { features: f32('x_test.f32'), rows: meta.testRows, cols: meta.inputs, targets: labels('y_test.i32') },
  };
}

/** The CLI's MNIST split: `rows` stratified training digits (seed 42), the rest for testing. */
async function mnist(rows) {
  const [train, test] = core.stratifiedSplit(await loadMnistDigits(), rows, 42);
  return { train, test };
}

/** Gaussian features labelled by a random linear teacher (learnable), plus a tenth as many test rows. */
function teacher(s, rows) {
  const rng = new Rng(7);
  const w = Float32Array.from({ length: s.inputs * s.outputs }, () => rng.normal());
  const make = (n) => {
    const features = new Float32Array(n * s.inputs);
    for (let i = 0; i < features.length; i++) features[i] = rng.normal();
    const targets = new Float32Array(n);
    const z = new Float64Array(s.outputs);
    for (let r = 0; r < n; r++) {
      z.fill(0);
      for (let k = 0; k < s.inputs; k++) {
        const x = features[r * s.inputs + k];
        for (let c = 0; c < s.outputs; c++) z[c] += x * w[k * s.outputs + c];
      }
      targets[r] = z.indexOf(Math.max(...z));
    }
    return { features, rows: n, cols: s.inputs, targets };
  };
  return { train: make(rows), test: make(Math.ceil(rows / 10)) };
}
