// `node bench/dp-accuracy.mjs [CSV LABEL [TRAIN OPTIONS...]]`: test accuracy against the privacy budget ε (1, 3, 8,
// and non-private) with `onnx-mlp train --dp --dp-epsilon ε` (σ solved for the run, δ = 1/rows),
// on the MNIST digits or on a CSV file, and the seconds per epoch against the same run without
// --dp. Prints a Markdown table. A benchmark, not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/cli/bin/onnx-mlp.js', import.meta.url));
const [csv, label, ...extra] = process.argv.slice(2);
const data = csv ? ['--data', csv, '--label', label, ...extra] : [];
// One setting for every row, private or not: Adam, a larger batch and rate than the defaults (DP-SGD
// wants both: fewer, less noisy steps), C = 1.
const common = ['--epochs', '10', '--batch-size', '256', '--lr', '0.002', '--hidden', '128,128', '--threads', '2', '--json'];
const runs = mkdtempSync(join(tmpdir(), 'dp-bench-'));

function train(extra) {
  const out = execFileSync(process.execPath, [cli, 'train', ...data, ...common, ...extra, '--runs-dir', runs], { encoding: 'utf8' });
  const events = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const epochs = events.filter((e) => e.event === 'epoch');
  const end = events.find((e) => e.event === 'end');
  // The fastest epoch: the least disturbed by other processes on a shared machine.
  return {
    accuracy: end.testAccuracy,
    seconds: Math.min(...epochs.map((e) => e.seconds)),
    epsilon: end.privacy?.epsilon,
    sigma: end.privacy?.noiseMultiplier,
    delta: end.privacy?.delta,
  };
}

console.log(`| ε target | σ (solved) | ε spent (δ) | test accuracy | s/epoch (fastest) |`);
console.log(`| --- | --- | --- | --- | --- |`);
const plain = train([]);
console.log(`| non-private | – | – | ${(plain.accuracy * 100).toFixed(2)} % | ${plain.seconds.toFixed(2)} |`);
for (const epsilon of [8, 3, 1]) {
  const r = train(['--dp', '--dp-epsilon', String(epsilon)]);
  console.log(
    `| ${epsilon} | ${r.sigma} | ${r.epsilon.toFixed(3)} (${r.delta.toPrecision(3)}) | ${(r.accuracy * 100).toFixed(2)} % | ${r.seconds.toFixed(2)} |`,
  );
}
rmSync(runs, { recursive: true, force: true });
