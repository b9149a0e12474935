import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));

/**
 * Asks this machine, independently of the CLI's own probe, whether onnxruntime-node's CUDA provider
 * runs: the platform must list a CUDA backend and a session must open on it (that loads the
 * provider library and the CUDA runtime, and needs a GPU). Resolves to ORT's error when it cannot.
 */
async function cudaUnavailable(): Promise<string | null> {
  if (!ort.listSupportedBackends().some((b) => b.name === 'cuda')) return 'onnxruntime-node lists no CUDA backend on this platform';
  try {
    const session = await ort.InferenceSession.create(MODEL, { executionProviders: ['cuda'], logSeverityLevel: 4 });
    await session.release();
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

const noCuda = await cudaUnavailable();
console.info(noCuda === null ? 'CUDA runs here: testing --device cuda for real' : `no CUDA here (${noCuda}): testing the error path`);

/** The `start` event of a `train --json` run: what was asked for and what the run used. */
function startEvent(stdout: string): { device: string; deviceUsed: string; notices: string[] } {
  return JSON.parse(stdout.split('\n')[0]!) as { device: string; deviceUsed: string; notices: string[] };
}

function testAccuracy(stdout: string): number {
  const end = JSON.parse(stdout.trim().split('\n').at(-1)!) as { event: string; testAccuracy: number };
  expect(end.event).toBe('end');
  return end.testAccuracy;
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

// Only the branch that matches this machine is registered, so a green run has no skipped tests to hide a gap.
if (noCuda === null)
  describe('on a machine where CUDA runs', () => {
    it('--device cuda trains on CUDA', async () => {
      const r = await runCli(['train', '--device', 'cuda', '--epochs', '1', '--json', '--runs-dir', 'cuda-runs'], {
        cwd: dir,
        timeoutMs: 180_000,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(startEvent(r.stdout)).toMatchObject({ device: 'cuda', deviceUsed: 'cuda', notices: [] });
      expect(testAccuracy(r.stdout)).toBeGreaterThan(0.85);
    }, 200_000);

    it('--device auto picks CUDA, without a notice', async () => {
      const r = await runCli(['train', '--device', 'auto', '--epochs', '1', '--json', '--runs-dir', 'auto-runs'], {
        cwd: dir,
        timeoutMs: 180_000,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(startEvent(r.stdout)).toMatchObject({ device: 'auto', deviceUsed: 'cuda', notices: [] });
      expect(testAccuracy(r.stdout)).toBeGreaterThan(0.85);
    }, 200_000);
  });

if (noCuda !== null)
  describe('on a machine without CUDA', () => {
    it('--device cuda without the CUDA binaries exits 1 with one line naming the install command, writing nothing', async () => {
      const r = await runCli(['train', '--device', 'cuda'], { cwd: dir });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^onnx-mlp: --device cuda cannot start: .*npm run install:cuda/);
      expect(r.stdout).toBe('');
      expect(await readdir(dir)).toEqual([]);
    });

    it('--device auto falls back to the CPU with a notice and trains', async () => {
      const r = await runCli(['train', '--device', 'auto', '--epochs', '1', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^notice: CUDA is not available .*training on the CPU$/m);
      const accuracy = Number(/test accuracy: ([\d.]+)%/.exec(r.stdout)![1]);
      expect(accuracy).toBeGreaterThan(85);
    });
  });

it('--device tpu is refused with the list of devices', async () => {
  const r = await runCli(['train', '--device', 'tpu'], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe('onnx-mlp: --device tpu: must be one of cpu, cuda, webgpu, auto');
});
