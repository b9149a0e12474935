import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

let dir: string;
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => { await removeDir(dir); });

// This machine (and CI) has no CUDA provider binaries: the error path is what can be tested here.
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

it('--device tpu is refused with the list of devices', async () => {
  const r = await runCli(['train', '--device', 'tpu'], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe('onnx-mlp: --device tpu: must be one of cpu, cuda, webgpu, auto');
});
