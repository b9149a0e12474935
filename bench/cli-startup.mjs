// `node bench/cli-startup.mjs`: start-up time of the command line, as a user runs it.
// Times `onnx-mlp --help` and `onnx-mlp predict models/mnist-mlp.onnx --data one-row.csv` (a CSV
// with the header p0..p783 and one row of zeros), --runs times each, alternating, and prints the
// median wall time and the median CPU time (user + sys, from GNU time) with the load average.
// Usage: node bench/cli-startup.mjs [--runs 10] [--entry packages/cli/bin/onnx-mlp.js]...
// (several --entry compare entries in the same run, e.g. the bin and packages/cli/dist/main.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, entry: { type: 'string', multiple: true } },
});
const runs = Number(opts.runs);
const entries = opts.entry ?? ['packages/cli/bin/onnx-mlp.js'];
const dir = mkdtempSync(join(tmpdir(), 'onnx-mlp-startup-'));
const oneRow = join(dir, 'one-row.csv');
writeFileSync(oneRow, `${Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')}\n${Array(784).fill(0).join(',')}\n`);
const timesFile = join(dir, 'times');
const commands = { '--help': ['--help'], 'predict one row': ['predict', 'models/mnist-mlp.onnx', '--data', oneRow] };

/** Runs `node entry ...args` once under GNU time; returns its wall and CPU (user + sys) seconds. */
function timeOnce(entry, args) {
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timesFile, process.execPath, entry, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${entry} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const [user, sys] = readFileSync(timesFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { wall, cpu: user + sys };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

const loadBefore = loadavg()[0];
const samples = new Map();
for (let i = 0; i < runs; i++) {
  for (const entry of entries) {
    for (const [name, args] of Object.entries(commands)) {
      const key = `${entry}\t${name}`;
      if (!samples.has(key)) samples.set(key, []);
      samples.get(key).push(timeOnce(entry, args));
    }
  }
}
const loadAfter = loadavg()[0];
rmSync(dir, { recursive: true, force: true });

console.log(
  `Node ${process.version}, ${runs} runs each, load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`,
);
console.log('entry\tcommand\twall s (median)\twall s (min-max)\tCPU s (median)');
for (const [key, xs] of samples) {
  const walls = xs.map((x) => x.wall);
  const range = `${Math.min(...walls).toFixed(3)}-${Math.max(...walls).toFixed(3)}`;
  console.log(`${key}\t${median(walls).toFixed(3)}\t${range}\t${median(xs.map((x) => x.cpu)).toFixed(2)}`);
}
