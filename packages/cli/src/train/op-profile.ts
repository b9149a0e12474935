// --profile: ONNX Runtime's own per-kernel trace of a run, and the table of op types it adds up to.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';

/** File-name prefix of the traces ORT writes into the run folder (it appends `_<date>_<time>.json`). */
export const PROFILE_PREFIX = 'profile';

/** Ops that run a subgraph: their kernel time contains their body's nodes, so they are not added in. */
const CONTAINER_OPS = new Set(['Loop', 'If', 'Scan']);

/** One event of ORT's Chrome-trace profile (only the fields read here). */
export interface TraceEvent {
  readonly cat: string;
  readonly name: string;
  readonly dur: number;
  readonly args?: { readonly op_name?: string };
}

/** One op type's share of a profile: kernel runs and their total time. */
export interface OpTypeTime {
  readonly opType: string;
  readonly count: number;
  readonly micros: number;
}

/** Session options that make ORT trace every kernel run of a session into `folder`. */
export function profilingOptions(folder: string): InferenceSession.SessionOptions {
  return { enableProfiling: true, profileFilePrefix: join(folder, PROFILE_PREFIX) };
}

/** Kernel runs and time per op type, most time first; container ops (Loop) are listed but hold their bodies' time. */
export function opTypeTimes(events: readonly TraceEvent[]): OpTypeTime[] {
  const byType = new Map<string, { count: number; micros: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name) continue;
    const entry = byType.get(e.args.op_name) ?? { count: 0, micros: 0 };
    entry.count += 1;
    entry.micros += e.dur;
    byType.set(e.args.op_name, entry);
  }
  return [...byType].map(([opType, t]) => ({ opType, ...t })).sort((a, b) => b.micros - a.micros);
}

/**
 * Kernel time per part of the step: the node's scope, its name's first segment inside the epoch
 * Loop's `step/` (dense1, loss, loss_grad, grad, update, unflatten ...); 'other' for unscoped nodes.
 * A node ORT fused (Gemm and Relu: `fused step/dense1/...`) counts in its first node's scope.
 * Tells the optimizer's element-wise update from the matrix products of the forward and backward passes.
 */
export function scopeTimes(events: readonly TraceEvent[]): OpTypeTime[] {
  const byScope = new Map<string, { count: number; micros: number }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name || CONTAINER_OPS.has(e.args.op_name)) continue;
    const parts = e.name
      .replace(/^fused /, '')
      .replace(/^step\//, '')
      .split('/');
    const scope = parts.length > 1 ? parts[0]! : 'other';
    const entry = byScope.get(scope) ?? { count: 0, micros: 0 };
    entry.count += 1;
    entry.micros += e.dur;
    byScope.set(scope, entry);
  }
  return [...byScope].map(([opType, t]) => ({ opType, ...t })).sort((a, b) => b.micros - a.micros);
}

/** The trace files ORT wrote into `folder` (one per session), by name. */
export async function profileFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder);
  return names
    .filter((n) => n.startsWith(`${PROFILE_PREFIX}_`) && n.endsWith('.json'))
    .sort()
    .map((n) => join(folder, n));
}

/** Every event of the traces in `folder`, all sessions together. */
export async function readProfileEvents(folder: string): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for (const file of await profileFiles(folder)) events.push(...(JSON.parse(await readFile(file, 'utf8')) as TraceEvent[]));
  return events;
}

/**
 * The table --profile prints: each op type's kernel runs and milliseconds per epoch (the run's
 * totals over `epochs`), its share of the kernel time, and the time per run in microseconds.
 */
export function formatOpTable(times: readonly OpTypeTime[], epochs: number, heading = 'op type'): string[] {
  const leaves = times.filter((t) => !CONTAINER_OPS.has(t.opType));
  const total = leaves.reduce((s, t) => s + t.micros, 0);
  const lines = [
    `Per-${heading === 'op type' ? 'op' : heading} profile (ONNX Runtime kernel times, all sessions, mean of ${epochs} epoch${epochs === 1 ? '' : 's'}):`,
    `| ${heading} | runs/epoch | ms/epoch | share | µs/run |`,
    '|---|---:|---:|---:|---:|',
  ];
  const row = (t: OpTypeTime, share: string) =>
    `| ${t.opType} | ${fmt(t.count / epochs, 1)} | ${fmt(t.micros / 1000 / epochs, 2)} | ${share} | ${fmt(t.micros / t.count, 1)} |`;
  for (const t of leaves) lines.push(row(t, `${fmt((100 * t.micros) / total, 1)} %`));
  lines.push(
    `| all kernels above | ${fmt(leaves.reduce((s, t) => s + t.count, 0) / epochs, 1)} | ${fmt(total / 1000 / epochs, 2)} | 100 % | |`,
  );
  for (const t of times.filter((c) => CONTAINER_OPS.has(c.opType))) lines.push(row(t, 'contains its body'));
  return lines;
}

/** A number without a trailing `.0` for whole values. */
function fmt(v: number, digits: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}
