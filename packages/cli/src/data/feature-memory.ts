import { totalmem } from 'node:os';
import { featureWidth } from '@onnx-mlp/core';
import type { PreparedTables } from '@onnx-mlp/core/tabular';
import { UserError } from '../errors.js';

/** Share of the machine's memory the in-memory features (train and validation, float32) may take. */
export const FEATURE_MEMORY_SHARE = 0.25;

/** 5.6 GiB: a byte count as people read it. */
function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

/**
 * Refuses, before they are made, in-memory features that would take more than FEATURE_MEMORY_SHARE
 * of the machine's memory (one-hot columns make rows wide: 1.4 million rows of 1,002 features are
 * 5.6 GiB), naming the size and what to do instead, rather than being killed by the kernel.
 */
export function checkFeatureMemory(prepared: PreparedTables, memoryBytes = totalmem()): void {
  const width = featureWidth(prepared.preprocessing);
  const rows = prepared.train.raw.rows + (prepared.validation?.raw.rows ?? 0);
  const bytes = rows * width * 4;
  const budget = memoryBytes * FEATURE_MEMORY_SHARE;
  if (bytes <= budget) return;
  throw new UserError(
    `the features of ${rows.toLocaleString('en-US')} train and validation rows (${width} a row, categories one-hot) need ${gib(bytes)} in memory, more than a quarter of this machine's ${gib(memoryBytes)}: train with --stream, or with fewer categories (--max-categories)`,
  );
}
