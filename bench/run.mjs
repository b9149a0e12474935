// `npm run bench`: onnx-mlp against PyTorch (when Debian's python3-torch is installed) on the
// setups of bench/setups.mjs, each case in its own process. Prints a Markdown table and writes
// .bench/results.json. A benchmark, not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETUPS, parameterCount } from './setups.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const json = (cmd, args, env = process.env) => JSON.parse(execFileSync(cmd, args, { env, encoding: 'utf8' }).trim().split('\n').at(-1));
const node = (file, args) => json(process.execPath, [here + file, ...args]);

const peak = node('gemm-peak.mjs', ['2']).gflops;
console.log(`ORT float32 MatMul peak (2048^3, 2 threads): ${peak.toFixed(1)} GFLOP/s`);
const python = '/usr/bin/python3';
const hasTorch =
  existsSync(python) &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
const withoutOpenblasHints = { ...process.env };
delete withoutOpenblasHints.OPENBLAS_CORETYPE;
delete withoutOpenblasHints.OPENBLAS_L2_SIZE;

const rows = [];
for (const [name, s] of Object.entries(SETUPS)) {
  if (only.length && !only.includes(name)) continue;
  const flops = 6 * parameterCount(s) * s.rows;
  const add = (runner, r) => {
    const row = {
      setup: name,
      runner,
      seconds: r.seconds,
      samplesPerSecond: s.rows / r.seconds,
      gflops: flops / r.seconds / 1e9,
      shareOfPeak: flops / r.seconds / 1e9 / peak,
      maxRssMiB: r.maxRssMiB,
      ...(r.gemmGflops ? { ownGemmGflops: r.gemmGflops } : {}),
    };
    rows.push(row);
    // Progress as each case finishes: the whole run takes minutes.
    console.error(
      `${name} | ${runner} | ${row.seconds.toFixed(3)} s/epoch${r.gemmGflops ? ` | its own GEMM ${r.gemmGflops.toFixed(0)} GFLOP/s` : ''}`,
    );
  };
  for (const threads of ['1', '2']) add(`onnx-mlp, ${threads} thread(s), epoch Loop`, node('onnx-mlp-case.mjs', [name, threads, 'loop']));
  add('onnx-mlp, 2 threads, run() per batch', node('onnx-mlp-case.mjs', [name, '2', 'step']));
  if (hasTorch) {
    for (const threads of ['1', '2']) {
      add(`PyTorch, ${threads} thread(s)`, json(python, [`${here}torch_mlp.py`, JSON.stringify(s), threads]));
      add(
        `PyTorch, ${threads} thread(s), OPENBLAS_* unset`,
        json(python, [`${here}torch_mlp.py`, JSON.stringify(s), threads], withoutOpenblasHints),
      );
    }
  }
}

const fmt = (v, d) => v.toFixed(d);
console.log('\n| setup | runner | s/epoch | samples/s | GFLOP/s | share of ORT GEMM peak | peak RSS MiB |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const own = r.ownGemmGflops ? ` (its GEMM: ${fmt(r.ownGemmGflops, 0)} GFLOP/s)` : '';
  console.log(
    `| ${r.setup} | ${r.runner}${own} | ${fmt(r.seconds, 3)} | ${fmt(r.samplesPerSecond, 0)} | ${fmt(r.gflops, 1)} | ${fmt(100 * r.shareOfPeak, 0)} % | ${fmt(r.maxRssMiB, 0)} |`,
  );
}
for (const name of Object.keys(SETUPS)) {
  const ours = rows.filter((r) => r.setup === name && r.runner.startsWith('onnx-mlp'));
  const torch = rows.filter((r) => r.setup === name && r.runner.startsWith('PyTorch'));
  if (!ours.length || !torch.length) continue;
  const best = (list) => list.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  const [o, t] = [best(ours), best(torch)];
  console.log(
    `\n${name}: fastest onnx-mlp (${o.runner}) / fastest PyTorch (${t.runner}) = ${(o.samplesPerSecond / t.samplesPerSecond).toFixed(2)}x samples/s`,
  );
}
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', JSON.stringify({ peakGflops: peak, rows }, null, 2));
if (!hasTorch) console.log("\nPyTorch rows missing: install Debian's python3-torch (apt-get install python3-torch) to compare.");
