// `npm run bench`: onnx-mlp against the peers a user would pick, on the setups of bench/setups.mjs:
// ONNX Runtime's own trainer (onnxruntime-training 1.19.2, Module/Optimizer), JAX + optax (lax.scan
// epoch) and PyTorch (Debian's python3-torch), installed by bench/setup-peers.sh into .venv-bench/.
// Every runner trains on the same rows (bench-data.mjs), the same MLP (Glorot-uniform weights, zero
// biases, relu, softmax cross-entropy) with Adam (lr 1e-3, eps 1e-7) at the setup's batch size, in
// its own process; s/epoch is the median of the epochs after the first (compilation, warm-up), and
// the median of that over --repeats processes. A run on 1 thread is also pinned to one CPU (taskset),
// as JAX/XLA otherwise spreads over both. Prints a Markdown table and writes .bench/results.json.
// A benchmark, not a test: it asserts nothing.
// Usage: node bench/run.mjs [--only mnist,compute] [--compute-rows N] [--repeats N] [--threads 1,2] [--profile]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchData } from './bench-data.mjs';
import { SETUPS } from './setups.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', default: Object.keys(SETUPS).join(',') },
    'compute-rows': { type: 'string', default: String(SETUPS.compute.rows) },
    repeats: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1,2' },
    profile: { type: 'boolean', default: false },
  },
});
const repeats = Number(opts.repeats);
const python = existsSync('.venv-bench/bin/python') ? '.venv-bench/bin/python' : null;
const pinned = existsSync('/usr/bin/taskset');

/** The environment of a case: thread counts for BLAS/OpenMP and XLA, and none of this machine's OpenBLAS hints (a user's machine has none). */
function caseEnv(threads) {
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), PYTHONPATH: here };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads === 1) env.XLA_FLAGS = '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1';
  return env;
}

/** Runs one case process and returns its last stdout line as JSON (null, with the error on stderr, if it failed). */
function runCase(cmd, args, threads) {
  const [file, argv] = threads === 1 && pinned ? ['/usr/bin/taskset', ['-c', '0', cmd, ...args]] : [cmd, args];
  try {
    const out = execFileSync(file, argv, {
      env: caseEnv(threads),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', opts.profile ? 'inherit' : 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch (e) {
    console.error(
      `${cmd} ${args[0]} failed: ${String(e.stderr ?? e.message)
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ')}`,
    );
    return null;
  }
}

const hasTorch = python !== null && runCase(python, ['-c', 'import torch; print(1)'], 2) === 1;
const RUNNERS = [
  {
    name: 'onnx-mlp (epoch Loop)',
    ours: true,
    run: (s, dir, t) => [process.execPath, [`${here}onnx-mlp-case.mjs`, s, dir, String(t), 'loop']],
  },
  python && {
    name: 'onnxruntime-training',
    run: (s, dir, t) => [python, [`${here}peer_ort_training.py`, JSON.stringify(SETUPS[s]), dir, String(t)]],
  },
  python && {
    name: 'JAX + optax (lax.scan)',
    run: (s, dir, t) => [python, [`${here}peer_jax.py`, JSON.stringify(SETUPS[s]), dir, String(t)]],
  },
  hasTorch && { name: 'PyTorch eager', run: (s, dir, t) => [python, [`${here}peer_torch.py`, JSON.stringify(SETUPS[s]), dir, String(t)]] },
].filter(Boolean);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const name of opts.only.split(',')) {
  const setup = { ...SETUPS[name], ...(name === 'compute' ? { rows: Number(opts['compute-rows']) } : {}) };
  SETUPS[name] = setup;
  const dir = await benchData(name, setup, setup.rows);
  for (const threads of opts.threads.split(',').map(Number)) {
    for (const runner of RUNNERS) {
      const results = [];
      const load = loadavg()[0];
      for (let r = 0; r < repeats; r++) {
        const [cmd, args] = runner.run(name, dir, threads);
        const res = runCase(cmd, opts.profile && runner.ours && r === 0 ? [...args, 'profile'] : args, threads);
        if (res) results.push(res);
      }
      if (!results.length) continue;
      const row = {
        setup: name,
        rows: setup.rows,
        runner: runner.name,
        ours: Boolean(runner.ours),
        threads,
        seconds: median(results.map((r) => r.seconds)),
        cpuSeconds: median(results.map((r) => r.cpuSeconds)),
        runs: results.map((r) => r.seconds),
        accuracy: median(results.map((r) => r.accuracy)),
        load: [load, loadavg()[0]],
        ...(results[0].detail ? { detail: results[0].detail } : {}),
        ...(results[0].gemmGflops ? { gemmGflops: median(results.map((r) => r.gemmGflops)) } : {}),
      };
      rows.push(row);
      console.error(
        `${name} | ${runner.name} | ${threads} thr | ${row.runs.map((s) => s.toFixed(3)).join(' ')} s/epoch | acc ${row.accuracy.toFixed(4)} | load ${row.load.map((l) => l.toFixed(1)).join('->')}`,
      );
    }
  }
}

console.log('\n| setup | runner | threads | s/epoch (median) | runs | CPU s/epoch | test acc | onnx-mlp / fastest peer | load avg |');
console.log('|---|---|---:|---:|---|---:|---:|---:|---|');
for (const r of rows) {
  const peers = rows.filter((p) => p.setup === r.setup && p.threads === r.threads && !p.ours);
  const ours = rows.find((p) => p.setup === r.setup && p.threads === r.threads && p.ours);
  const ratio = r.ours && peers.length ? (ours.seconds / Math.min(...peers.map((p) => p.seconds))).toFixed(2) : '';
  const gemm = r.gemmGflops ? ` (its GEMM ${r.gemmGflops.toFixed(0)} GFLOP/s)` : '';
  console.log(
    `| ${r.setup} (${r.rows} rows) | ${r.runner}${gemm} | ${r.threads} | ${r.seconds.toFixed(3)} | ${r.runs.map((s) => s.toFixed(3)).join(', ')} | ${r.cpuSeconds.toFixed(3)} | ${(100 * r.accuracy).toFixed(1)} % | ${ratio} | ${r.load.map((l) => l.toFixed(1)).join(' → ')} |`,
  );
}
for (const name of new Set(rows.map((r) => r.setup))) {
  const ours = rows.filter((r) => r.setup === name && r.ours);
  const peers = rows.filter((r) => r.setup === name && !r.ours);
  if (!ours.length || !peers.length) continue;
  const best = (list) => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const [o, p] = [best(ours), best(peers)];
  console.log(
    `\n${name}: fastest onnx-mlp (${o.threads} thr) / fastest peer (${p.runner}, ${p.threads} thr) = ${(o.seconds / p.seconds).toFixed(2)}`,
  );
}
for (const d of new Set(rows.filter((r) => r.detail).map((r) => `${r.runner}: ${r.detail}`))) console.log(`- ${d}`);
if (!python) console.log('\nPeers missing: run bench/setup-peers.sh (creates .venv-bench/).');
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/results.json', JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
