import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { beforeAll, expect, it } from 'vitest';
import {
  DataType, GraphBuilder, Rng, Trainer, buildTrainingArtifacts, encodeModel, initialState, makeModel, mlpSpec, optimizerConfig,
} from '../src/index.js';

const installer = fileURLToPath(new URL('../../../scripts/install-lavapipe.sh', import.meta.url));

async function webgpuWorks(): Promise<boolean> {
  const b = new GraphBuilder('probe');
  b.output(b.op('Relu', [b.input('x', DataType.FLOAT, [1])]), 'y');
  try {
    await ort.InferenceSession.create(encodeModel(makeModel(b.build())), { executionProviders: ['webgpu'] });
    return true;
  } catch {
    return false;
  }
}

let skipReason: string | undefined;
beforeAll(async () => {
  if (await webgpuWorks()) return;
  // No adapter: install Mesa's lavapipe (software Vulkan) from bookworm-backports, as CI does.
  try {
    execFileSync('bash', [installer], { stdio: 'pipe', timeout: 300_000 });
  } catch (e) {
    skipReason = `no WebGPU adapter and lavapipe could not be installed: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  if (!(await webgpuWorks())) skipReason = 'lavapipe is installed but the WebGPU provider still finds no adapter';
});

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
  if (skipReason) {
    console.warn(`skipped: ${skipReason}`);
    ctx.skip();
  }
  const spec = mlpSpec({ inputs: 8, hidden: [16], outputs: 4 });
  const art = buildTrainingArtifacts(spec, optimizerConfig('adam', { learningRate: 0.02 }));
  const data = blobs(256);
  const cpu = await Trainer.create(ort, art, initialState(art, 3));
  const gpu = await Trainer.create(ort, art, initialState(art, 3), {
    sessionOptions: { executionProviders: ['webgpu'] }, keepStateOnDevice: true,
  });
  const firstLoss = async (t: Trainer) => {
    let loss = NaN;
    await t.fit(data, { epochs: 1, batchSize: 32, onBatchEnd: (e) => { if (e.batch === 1) loss = e.loss; } });
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
