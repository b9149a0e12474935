import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import type { Graph, Node } from '@onnx-mlp/core/ir';
import {
  type OpTypeTime,
  formatOpTable,
  opTypeTimes,
  profileFiles,
  profilingOptions,
  readProfileEvents,
  scopeTimes,
} from '../packages/cli/src/train/op-profile.js';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

/** Nodes per op type of a graph (subgraphs not entered). */
function nodeCounts(g: Graph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of g.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  return counts;
}

describe('opTypeTimes and formatOpTable', () => {
  const kernel = (op: string, dur: number) => ({ cat: 'Node', name: `n_${op}_kernel_time`, dur, args: { op_name: op } });
  const events = [
    kernel('Gemm', 100),
    kernel('Gemm', 300),
    kernel('Add', 50),
    kernel('Loop', 1000),
    { cat: 'Node', name: 'n_Gemm_fence_before', dur: 7, args: { op_name: 'Gemm' } },
    { cat: 'Session', name: 'session_initialization', dur: 9000 },
  ];

  it('adds up kernel runs and time per op type, most time first, ignoring fences and session events', () => {
    expect(opTypeTimes(events)).toEqual([
      { opType: 'Loop', count: 1, micros: 1000 },
      { opType: 'Gemm', count: 2, micros: 400 },
      { opType: 'Add', count: 1, micros: 50 },
    ]);
  });

  it('prints per-epoch means, shares of the leaf kernels only, and Loop apart (its time holds its body)', () => {
    const table = formatOpTable(opTypeTimes(events), 2);
    expect(table).toContain('| Gemm | 1 | 0.20 | 88.9 % | 200 |');
    expect(table).toContain('| Add | 0.5 | 0.03 | 11.1 % | 50 |');
    expect(table).toContain('| all kernels above | 1.5 | 0.23 | 100 % | |');
    expect(table.at(-1)).toBe('| Loop | 0.5 | 0.50 | contains its body | 1000 |');
  });
});

describe('a profiled epoch (ORT tracing, optimisations off)', () => {
  let dir: string;
  let times: OpTypeTime[];
  let scopes: OpTypeTime[];
  let body: Graph;
  let outer: Graph;
  const steps = 4;

  beforeAll(async () => {
    dir = await makeTempDir();
    const spec = mlpSpec({ inputs: 5, hidden: [4, 3], outputs: 3 });
    const artifacts = buildTrainingArtifacts(spec, optimizerConfig('adam'));
    outer = artifacts.epochModel.graph;
    body = outer.nodes.find((n: Node) => n.opType === 'Loop')!.attributes.body!.value as Graph;
    const rows = 8 * steps;
    const data = {
      features: Float32Array.from({ length: rows * 5 }, (_, i) => Math.sin(i)),
      rows,
      cols: 5,
      targets: Float32Array.from({ length: rows }, (_, i) => i % 3),
    };
    const trainer = await Trainer.create(ort, artifacts, initialState(artifacts, 1), {
      sessionOptions: { ...profilingOptions(dir), graphOptimizationLevel: 'disabled' },
    });
    await trainer.fit(data, { epochs: 1, batchSize: 8 });
    await trainer.release();
    const events = await readProfileEvents(dir);
    times = opTypeTimes(events);
    scopes = scopeTimes(events);
  });
  afterAll(() => removeDir(dir));

  it('writes one trace per session into the folder', async () => {
    expect(await profileFiles(dir)).toHaveLength(3);
  });

  it("counts every op type of the graph: the Loop body's nodes once a step, the outer graph's once", () => {
    const expected = new Map<string, number>();
    for (const [op, n] of nodeCounts(body)) expected.set(op, n * steps);
    for (const [op, n] of nodeCounts(outer)) expected.set(op, (expected.get(op) ?? 0) + n);
    expect(new Map(times.map((t) => [t.opType, t.count]))).toEqual(expected);
    const scopeOf = (name: string) => {
      const parts = name.replace(/^step\//, '').split('/');
      return parts.length > 1 ? parts[0]! : 'other';
    };
    const byScope = new Map<string, number>();
    for (const n of body.nodes) byScope.set(scopeOf(n.name), (byScope.get(scopeOf(n.name)) ?? 0) + steps);
    byScope.set('other', (byScope.get('other') ?? 0) + outer.nodes.filter((n: Node) => n.opType !== 'Loop').length);
    expect(new Map(scopes.map((t) => [t.opType, t.count]))).toEqual(byScope);
    // Adam's update: 12 element-wise kernels a step on the flat vectors, 8 on scalars (bias corrections).
    expect(byScope.get('update')).toBe(20 * steps);
    // 3 layers: 3 forward Gemms, 5 backward (no gradient of the input).
    expect(expected.get('Gemm')).toBe(8 * steps);
  });
});

describe('onnx-mlp train --profile (built CLI, 1 epoch of MNIST)', () => {
  let dir: string;
  let result: CliResult;

  beforeAll(async () => {
    dir = await makeTempDir();
    result = await runCli(['train', '--epochs', '1', '--profile', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
  }, 130_000);
  afterAll(() => removeDir(dir));

  it('prints the op-type table on stderr and writes it, with the traces, into the run folder', async () => {
    expect(result.code).toBe(0);
    const table = await readFile(join(dir, 'runs', '1', 'profile.md'), 'utf8');
    expect(result.stderr).toContain(table);
    expect((await profileFiles(join(dir, 'runs', '1'))).length).toBeGreaterThanOrEqual(2);
    // 63 steps: 62 full batches of 128 in the Loop and the last 64 rows through the step model.
    // Each runs 8 matrix products: 3 forward, of which ORT fuses the 2 hidden layers' Gemm and Relu
    // into FusedGemm (the ReLU gradient reads the Relu's output, so the Gemm has no other reader),
    // and 5 backward. The epoch's evaluation of the 2,000 held-out digits (Trainer.evaluate's
    // 1,024-row batches: 2) runs 2 FusedGemm and 1 Gemm a batch.
    const evalBatches = Math.ceil(2000 / 1024);
    const runs = (row: string) => Number(new RegExp(`^\\| ${row} \\| (\\d+) \\|`, 'm').exec(table)?.[1]);
    expect(runs('FusedGemm')).toBe(2 * (63 + evalBatches));
    expect(runs('Gemm')).toBe(6 * 63 + evalBatches);
    expect(runs('dense1')).toBe(63 + evalBatches);
    expect(table).toMatch(/^\| Loop \| 1 \| [\d.]+ \| contains its body \|/m);
  });
});
