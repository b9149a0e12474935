// A/B of two builds of onnx-mlp on one setup: runs `node bench/onnx-mlp-case.mjs` in each checkout
// in turn (A, B, A, B, ...), so that load drifting over the minutes hits both alike, and prints each
// side's median s/epoch and CPU s/epoch. How the leaner-step changes were measured (README).
// Usage: node bench/compare-trees.mjs SETUP THREADS ROUNDS TREE_A TREE_B
//   e.g. git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci && npm run build)
//        node bench/compare-trees.mjs compute 2 7 /tmp/before .
// Each tree needs its build and the bench data under .bench/data (npm run bench writes it once).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const [setup, threads, rounds, ...trees] = process.argv.slice(2);
if (!setup || !threads || !rounds || trees.length < 2) {
  console.error('usage: node bench/compare-trees.mjs SETUP THREADS ROUNDS TREE_A TREE_B');
  process.exit(2);
}
const data = resolve(setup === 'mnist' ? '.bench/data/mnist-8000' : '.bench/data/compute-20000');
const runs = new Map(trees.map((t) => [t, []]));
for (let r = 0; r < Number(rounds); r++) {
  for (const tree of trees) {
    const out = execFileSync(process.execPath, ['bench/onnx-mlp-case.mjs', setup, data, threads, 'loop'], {
      cwd: tree,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    runs.get(tree).push(JSON.parse(out.toString().trim().split('\n').pop()));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [tree, rs] of runs) {
  const s = rs.map((x) => x.seconds);
  console.log(
    `${setup}, ${threads} thread(s), ${tree}: s/epoch ${median(s).toFixed(4)} (${s.map((x) => x.toFixed(3)).join(', ')}), CPU s/epoch ${median(rs.map((x) => x.cpuSeconds)).toFixed(4)}, test accuracy ${rs[0].accuracy}`,
  );
}
