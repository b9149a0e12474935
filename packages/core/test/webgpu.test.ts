import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { beforeAll, expect, it } from 'vitest';
import { requireTool, skipIfMissing, type MissingTool } from '../../../tests/helpers/require-tool.js';
import { Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// Opens a WebGPU session on the checked-in model in a child process: Dawn's own diagnosis (e.g.
// "Couldn't load Vulkan: libvulkan.so.1: ...") goes to stderr, which the error then carries, and a
// failure stays out of this process, where Dawn would keep it for the process's lifetime.
const PROBE = `
import * as ort from 'onnxruntime-node';
try {
  const session = await ort.InferenceSession.create('models/mnist-mlp.onnx', { executionProviders: ['webgpu'] });
  await session.release();
  console.log('WebGPU adapter found');
} catch (e) {
  console.error(e.message); // ORT's message without the stack; Dawn's diagnosis is already on stderr
  process.exit(1);
}
`;

/** Resolves when onnxruntime-node's WebGPU provider finds an adapter; rejects with ORT's and Dawn's errors. */
async function webgpuAdapter(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: REPO, timeout: 120_000 });
  return stdout.trim();
}

// A WebGPU adapter: on a machine without a GPU, Mesa's lavapipe (`npm run setup:test` installs it).
let adapter: string | MissingTool | undefined;
beforeAll(async () => {
  adapter = await requireTool('a WebGPU adapter', webgpuAdapter);
}, 150_000);

function blobs(rows: number): { features: Float32Array; rows: number; cols: number; targets: Float32Array } {
  const rng = new Rng(11);
  const features = new Float32Array(rows * 8);
  const targets = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    targets[i] = i % 4;
    for (let k = 0; k < 8; k++) features[8 * i + k] = (k % 4 === i % 4 ? 2 : 0) + rng.normal() * 0.5;
  }
  return { features, rows, cols: 8, targets };
}

// The WebGPU path for real: onnxruntime-node's WebGPU provider on a software Vulkan (lavapipe),
// parameters kept on the device between steps and read back through a CPU-output session.
it('trains on WebGPU with state kept on the device: first loss equals CPU, training converges', async (ctx) => {
  skipIfMissing(ctx, adapter);
  const spec = mlpSpec({ inputs: 8, hidden: [16], outputs: 4 });
  const art = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.02 }));
  const data = blobs(256);
  const cpu = await Trainer.create(ort, art, initialState(art, 3));
  const gpu = await Trainer.create(ort, art, initialState(art, 3), {
    sessionOptions: { executionProviders: ['webgpu'] },
    keepStateOnDevice: true,
  });
  const firstLoss = async (t: Trainer) => {
    let loss = NaN;
    await t.fit(data, {
      epochs: 1,
      batchSize: 32,
      onBatchEnd: (e) => {
        if (e.batch === 1) loss = e.loss;
      },
    });
    return loss;
  };
  const [c, g] = [await firstLoss(cpu), await firstLoss(gpu)];
  expect(Math.abs(c - g)).toBeLessThan(1e-5);
  expect(gpu.stateLocation).toBe('gpu-buffer');
  expect(cpu.stateLocation).toBe('cpu');
  const history = await gpu.fit(data, { epochs: 15, batchSize: 32 });
  expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss / 4);
  expect(history.at(-1)!.accuracy).toBeGreaterThan(0.95);
  const state = await gpu.state();
  const cpuState = await cpu.state();
  expect(state.parameters.get('dense1.weight')!.data.length).toBe(8 * 16);
  expect(state.step).toBe(15 * 8);
  expect(cpuState.step).toBe(8);
  await cpu.release();
  await gpu.release();
}, 120_000);
