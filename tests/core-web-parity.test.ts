// The training model runs in another ORT binding: onnxruntime-web's WASM backend, inside Node,
// gives the same train step and the same Trainer run as onnxruntime-node's native CPU backend.
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer, buildTrainingArtifacts, encodeModel, initialState, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import type { Dataset } from '@onnx-mlp/core';
import { DataType, type TensorData } from '@onnx-mlp/core/ir';
import { Rng, initParameters } from '@onnx-mlp/core/model';
import type { TensorMap } from '@onnx-mlp/core/model';
import { IO, packTensors, unpackTensors } from '@onnx-mlp/core/internal';

const TOL = 1e-5;
const spec = mlpSpec({ inputs: 784, hidden: [128, 128], outputs: 10 });
const adam = optimizerConfig('adam');

beforeAll(() => {
  // One thread; the .wasm files are found next to onnxruntime-web's own dist/ module without wasmPaths.
  ortWeb.env.wasm.numThreads = 1;
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

type Runtime = typeof ortNode | typeof ortWeb;

async function oneStep(runtime: Runtime, model: Uint8Array, feeds: Record<string, TensorData>): Promise<Record<string, Float32Array>> {
  const session = await (runtime.InferenceSession as typeof ortNode.InferenceSession).create(model);
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([n, t]) => [
      n,
      new runtime.Tensor(t.data instanceof BigInt64Array ? 'int64' : 'float32', t.data as Float32Array, [...t.dims]),
    ]),
  );
  const out = await session.run(inputs as Record<string, ortNode.Tensor>);
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([n, v]) => [n, Float32Array.from(v.data as Float32Array)]));
}

describe('onnxruntime-web (WASM, in Node) agrees with onnxruntime-node', () => {
  it('one Adam train step of 784-128-128-10 on a batch of 32: loss, logits, every updated parameter and state within 1e-5', async () => {
    const artifacts = buildTrainingArtifacts(spec, adam);
    const { layout, slots } = artifacts;
    expect(slots).toEqual(['m', 'v']);
    const parameterNames = layout.slots.map((s) => s.name);
    const model = encodeModel(artifacts.trainingModel);
    const rng = new Rng(2024);
    const params = initParameters(spec, rng);
    // Non-zero Adam moments (v > 0) and step 3, so the state inputs and bias correction matter.
    // Named `dense1.weight.m`, ..., then packed into one flat vector per slot, as the model takes them.
    const state = new Map<string, TensorData>(
      slots.flatMap((slot) =>
        parameterNames.map((name): [string, TensorData] => {
          const p = params.get(name)!;
          const data = Float32Array.from(p.data as Float32Array, () => (slot === 'm' ? 1e-3 * rng.normal() : 1e-6 * (1 + rng.uniform())));
          return [`${name}.${slot}`, { ...p, data }];
        }),
      ),
    );
    const flat = (data: Float32Array): TensorData => ({ dtype: DataType.FLOAT, dims: [layout.total], data });
    const batch = 32;
    const feeds: Record<string, TensorData> = {
      [IO.input]: { dtype: DataType.FLOAT, dims: [batch, 784], data: Float32Array.from({ length: batch * 784 }, () => rng.uniform()) },
      [IO.target]: { dtype: DataType.INT64, dims: [batch], data: BigInt64Array.from({ length: batch }, () => BigInt(rng.int(10))) },
      [IO.learningRate]: { dtype: DataType.FLOAT, dims: [], data: Float32Array.of(1e-3) },
      [IO.step]: { dtype: DataType.FLOAT, dims: [], data: Float32Array.of(3) },
      [IO.parameters]: flat(packTensors(layout, params)),
      ...Object.fromEntries(slots.map((slot) => [IO.state(slot), flat(packTensors(layout, state, `.${slot}`))])),
    };

    const native = await oneStep(ortNode, model, feeds);
    const wasm = await oneStep(ortWeb, model, feeds);

    const expected = [IO.loss, IO.logits, IO.updated(IO.parameters), ...slots.map((slot) => IO.updated(IO.state(slot)))];
    expect(Object.keys(native).sort()).toEqual([...expected].sort());
    expect(Object.keys(wasm).sort()).toEqual([...expected].sort());
    // Flat outputs viewed by name again: one diff per parameter and per state tensor.
    const byName = (out: Record<string, Float32Array>) =>
      new Map<string, Float32Array>([
        [IO.loss, out[IO.loss]!],
        [IO.logits, out[IO.logits]!],
        ...[...unpackTensors(layout, out[IO.updated(IO.parameters)]!)].map(([n, t]): [string, Float32Array] => [
          IO.updated(n),
          t.data as Float32Array,
        ]),
        ...slots.flatMap((slot) =>
          [...unpackTensors(layout, out[IO.updated(IO.state(slot))]!, `.${slot}`)].map(([n, t]): [string, Float32Array] => [
            IO.updated(n),
            t.data as Float32Array,
          ]),
        ),
      ]);
    const nativeByName = byName(native);
    const wasmByName = byName(wasm);
    expect(nativeByName.size).toBe(2 + parameterNames.length * (1 + slots.length));
    const diffs: Record<string, number> = {};
    for (const [name, values] of nativeByName) diffs[name] = maxAbsDiff(values, wasmByName.get(name)!);
    console.log('node vs web, max |diff| per output:', diffs);
    for (const [name, d] of Object.entries(diffs)) expect(d, name).toBeLessThan(TOL);
    // The step did something: every parameter moved, by about lr per weight.
    for (const name of parameterNames) {
      expect(maxAbsDiff(nativeByName.get(IO.updated(name))!, params.get(name)!.data as Float32Array), name).toBeGreaterThan(1e-4);
    }
    expect(native[IO.loss]![0]!).toBeGreaterThan(1); // ~ln 10 for an untrained net
  });

  it('Trainer with onnxruntime-web as the runtime: 1 epoch, same loss history and parameters as onnxruntime-node', async () => {
    // 256 rows near 10 random prototypes (uniform pixels, +-0.3 noise): learnable in a few steps.
    const rng = new Rng(99);
    const rows = 256;
    const prototypes = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => rng.uniform()));
    const targets = Float32Array.from({ length: rows }, () => rng.int(10));
    const features = new Float32Array(rows * 784);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < 784; j++) features[r * 784 + j] = prototypes[targets[r]!]![j]! + 0.3 * (rng.uniform() * 2 - 1);
    }
    const data: Dataset = { features, rows, cols: 784, targets };
    const artifacts = buildTrainingArtifacts(spec, adam);
    const run = async (runtime: Runtime) => {
      const batchLosses: number[] = [];
      const t = await Trainer.create(runtime as typeof ortNode, artifacts, initialState(artifacts, 5));
      const history = await t.fit(data, { epochs: 1, batchSize: 32, onBatchEnd: (e) => batchLosses.push(e.loss) });
      const state = await t.state();
      await t.release();
      return { history, batchLosses, state };
    };
    const native = await run(ortNode);
    const wasm = await run(ortWeb);
    expect(native.batchLosses.length).toBe(8);
    const batchDiff = maxAbsDiff(native.batchLosses, wasm.batchLosses);
    const epochDiff = Math.abs(native.history[0]!.loss - wasm.history[0]!.loss);
    const paramDiff = (m: TensorMap, n: TensorMap) =>
      Math.max(...[...m].map(([k, t]) => maxAbsDiff(t.data as Float32Array, n.get(k)!.data as Float32Array)));
    const pd = paramDiff(native.state.parameters, wasm.state.parameters);
    console.log('Trainer node vs web: batch loss', batchDiff, 'epoch loss', epochDiff, 'parameters', pd);
    expect(batchDiff).toBeLessThan(TOL);
    expect(epochDiff).toBeLessThan(TOL);
    expect(native.history[0]!.accuracy).toBe(wasm.history[0]!.accuracy);
    expect(pd).toBeLessThan(TOL);
    expect(wasm.state.step).toBe(8);
    // The epoch trained: the last batch's loss is well below the first's (~ln 10).
    expect(wasm.batchLosses.at(-1)!).toBeLessThan(wasm.batchLosses[0]! / 2);
  });
});
