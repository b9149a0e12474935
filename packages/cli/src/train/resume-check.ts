// What --resume checks before it continues a run: the checkpoint is the run's own (config.json's).
import type { Checkpoint, MlpSpec } from '@onnx-mlp/core';
import { echo } from '../io/echo.js';

/** Compact JSON of a recorded value, cut for a message. */
function shown(value: unknown): string {
  return value === undefined ? 'absent' : echo(JSON.stringify(value));
}

/** The first of `keys` whose values differ between `a` (the checkpoint's) and `b` (config.json's). */
function firstDifferentKey(keys: readonly string[], a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  return keys.find((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

const ARCHITECTURE: readonly (keyof MlpSpec)[] = ['inputs', 'hidden', 'outputs', 'activation', 'leakyReluAlpha', 'dropout', 'init'];

/**
 * The first difference between a checkpoint and the config.json of its run folder, in the order
 * architecture, task, columns, classes, optimizer, batch size and seed; null when they agree. Fields
 * an older checkpoint does not record (its columns) are not compared.
 */
export function checkpointMismatch(checkpoint: Checkpoint, recorded: Record<string, unknown>): string | null {
  const ck = checkpoint.spec as unknown as Record<string, unknown>;
  const rc = recorded.spec as Record<string, unknown>;
  const arch = firstDifferentKey(ARCHITECTURE, ck, rc);
  if (arch) return `architecture: ${arch} is ${shown(ck[arch])} in the checkpoint, ${shown(rc[arch])} in config.json`;
  if (ck.task !== rc.task || (recorded.task !== undefined && recorded.task !== ck.task)) {
    return `task: ${shown(ck.task)} in the checkpoint, ${shown(recorded.task ?? rc.task)} in config.json`;
  }
  const extra = checkpoint.extra ?? {};
  const columns = recordedColumns(recorded);
  if (extra.columns !== undefined && JSON.stringify(extra.columns) !== JSON.stringify(columns)) {
    return `columns: ${shown(extra.columns)} in the checkpoint, ${shown(columns)} in config.json`;
  }
  if (recorded.classNames !== undefined && JSON.stringify(extra.classNames) !== JSON.stringify(recorded.classNames)) {
    return `classes: ${shown(extra.classNames)} in the checkpoint, ${shown(recorded.classNames)} in config.json`;
  }
  const co = checkpoint.optimizer as unknown as Record<string, unknown>;
  const ro = recorded.optimizer as Record<string, unknown>;
  const opt = firstDifferentKey([...new Set(['kind', ...Object.keys(co), ...Object.keys(ro)])], co, ro);
  if (opt) return `optimizer: ${opt} is ${shown(co[opt])} in the checkpoint, ${shown(ro[opt])} in config.json`;
  for (const key of ['batchSize', 'seed'] as const) {
    if (extra[key] !== undefined && extra[key] !== recorded[key]) {
      return `${key}: ${shown(extra[key])} in the checkpoint, ${shown(recorded[key])} in config.json`;
    }
  }
  return null;
}

/** The feature column names config.json records (tabular runs), or null (MNIST). */
export function recordedColumns(recorded: Record<string, unknown>): string[] | null {
  const pre = recorded.preprocessing as { columns?: { name?: unknown }[] } | undefined;
  return Array.isArray(pre?.columns) ? pre.columns.map((c) => String(c?.name)) : null;
}

const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;

/**
 * What is wrong with a decoded checkpoint's counters (epoch, step, generator state, history), or
 * null: a checkpoint that decodes can still hold values no run writes.
 */
export function counterProblem(checkpoint: Checkpoint): string | null {
  const { epoch, step, rng, history } = checkpoint as unknown as Record<string, unknown>;
  if (!isCount(epoch) || !isCount(step)) return `epoch ${shown(epoch)} and step ${shown(step)} are not counts`;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((w) => isCount(w) && w < 2 ** 32)) {
    return `its generator state ${shown(rng)} is not four 32-bit words`;
  }
  const records = Array.isArray(history) ? (history as unknown[]) : null;
  if (records === null) return `its history ${shown(history)} is not a list of epochs`;
  const bad = records.findIndex((r) => typeof r !== 'object' || r === null || typeof (r as { loss?: unknown }).loss !== 'number');
  return bad >= 0 ? `history record ${bad + 1} is ${shown(records[bad])}` : null;
}
