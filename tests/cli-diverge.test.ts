import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

it('a loss that becomes NaN stops training with one clear line, and no model is written', async () => {
  const r = await runCli(['train', '--optimizer', 'sgd', '--lr', '1e6', '--epochs', '3'], { cwd: dir });
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^onnx-mlp: loss became (NaN|-?Infinity) at epoch 1, step \d+: lower the learning rate .*\(partial run in runs\/1\)$/,
  );
  const files = await readdir(join(dir, 'runs', '1'));
  expect(files).toContain('config.json');
  expect(files).not.toContain('model.onnx');
  expect(files).not.toContain('checkpoint.ckpt');
});
