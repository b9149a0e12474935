import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadMnistDigits } from '../packages/cli/src/data/mnist.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

/** An IDX file (the MNIST `*-ubyte` format) of unsigned bytes with the given dims. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2); // unsigned byte
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
  // 1,500 MNIST digits as the IDX files MNIST itself ships: 28x28 images and their labels.
  const all = await loadMnistDigits();
  const rows = Array.from({ length: 1500 }, (_, i) => (i * 6007) % all.rows);
  const pixels = new Uint8Array(rows.length * 784);
  rows.forEach((r, i) => {
    for (let k = 0; k < 784; k++) pixels[i * 784 + k] = Math.round(all.features[r * 784 + k]! * 255);
  });
  await writeFile(join(dir, 'images-idx3-ubyte.gz'), gzipSync(idx([rows.length, 28, 28], pixels)));
  await writeFile(
    join(dir, 'labels-idx1-ubyte'),
    idx(
      [rows.length],
      Uint8Array.from(rows, (r) => all.targets[r]!),
    ),
  );
  await writeFile(
    join(dir, 'labels-cut-idx1-ubyte'),
    idx(
      [rows.length],
      Uint8Array.from(rows, (r) => all.targets[r]!),
    ).subarray(0, 500),
  );
}, 60_000);
afterAll(async () => {
  await removeDir(dir);
});

it('trains from IDX image and label files (gzipped or not): --data images --labels labels', async () => {
  const r = await runCli(
    ['train', '--data', 'images-idx3-ubyte.gz', '--labels', 'labels-idx1-ubyte', '--epochs', '5', '--hidden', '64', '--quiet'],
    { cwd: dir },
  );
  expect(r.code, r.stderr).toBe(0);
  const accuracy = Number(/test accuracy: ([\d.]+)% \(300 rows\)/.exec(r.stdout)![1]);
  expect(accuracy).toBeGreaterThan(80);
}, 120_000);

it('a truncated labels file: one line naming it and what is wrong, exit 1, no run folder', async () => {
  const r = await runCli(['train', '--data', 'images-idx3-ubyte.gz', '--labels', 'labels-cut-idx1-ubyte', '--runs-dir', 'cut'], {
    cwd: dir,
  });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^onnx-mlp: labels-cut-idx1-ubyte: is truncated: expected 1500 bytes of data .*found 492/);
  expect(await readdir(dir)).not.toContain('cut');
});

it('--labels with a file of another length, or with --val, is refused naming it', async () => {
  await writeFile(join(dir, 'few-idx1-ubyte'), idx([10], new Uint8Array(10)));
  const few = await runCli(['train', '--data', 'images-idx3-ubyte.gz', '--labels', 'few-idx1-ubyte'], { cwd: dir });
  expect(few.code).toBe(1);
  expect(few.stderr.trim()).toBe('onnx-mlp: few-idx1-ubyte: has 10 labels for the 1500 rows of images-idx3-ubyte.gz');
  const val = await runCli(['train', '--data', 'images-idx3-ubyte.gz', '--labels', 'labels-idx1-ubyte', '--val', 'x.csv'], { cwd: dir });
  expect(val.code).toBe(1);
  expect(val.stderr).toMatch(/^onnx-mlp: --labels labels-idx1-ubyte: cannot be combined with --val\/--test files/);
});
