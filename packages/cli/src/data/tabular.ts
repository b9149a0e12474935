import type { Table } from '@onnx-mlp/core';
import { prepareTables, withFeatures, type TabularData } from '@onnx-mlp/core/tabular';
import { checkSensitiveColumns } from '../fairness/sensitive-columns.js';
import { CLI_HINTS, cliTabular } from './cli-tabular.js';
import { featureColumns, labelColumns, withLabelFile } from './columns.js';
import { checkFeatureMemory } from './feature-memory.js';
import { openPreprocessGraph } from './preprocess-graph.js';
import { readTableFile } from './readers/index.js';
import type { TabularOptions } from './tabular-options.js';

export { IMPUTE_CHOICES, TASK_CHOICES, type TabularOptions } from './tabular-options.js';
export { featureColumns, labelColumns, quoted } from './columns.js';
export { preprocess } from './preprocess-graph.js';
export type { TabularData, TabularSplit } from '@onnx-mlp/core/tabular';

/** --data (with its --labels file joined), --val and --test, read whole; --data's columns checked before the others are read. */
async function readTables(o: TabularOptions): Promise<{ data: Table; val: Table | null; test: Table | null; label: string }> {
  const data = o.labels
    ? withLabelFile(await readTableFile(o.file), await readTableFile(o.labels), o.label ?? 'label')
    : await readTableFile(o.file);
  const labels = labelColumns(data, o.label);
  featureColumns(data, labels, o);
  const val = o.val === null ? null : await readTableFile(o.val);
  const test = o.test === null ? null : await readTableFile(o.test);
  // labelColumns threw unless --label names the column(s).
  return { data, val, test, label: o.label! };
}

/** --sensitive's columns are in the data and in the --test file, whose rows they group. */
function checkSensitive(tables: { data: Table; test: Table | null }, sensitive: readonly string[]): void {
  for (const t of [tables.data, tables.test])
    if (t)
      checkSensitiveColumns(
        t.file,
        t.columns.map((c) => c.name),
        sensitive,
      );
}

/**
 * Reads `--data` (and `--val`/`--test` when given) and prepares them with core's in-memory tabular
 * pipeline (prepareTables: labels, the seeded split, kinds, statistics on the train split, raw model
 * input), the same the web package runs; then every split goes through the preprocessing graph run by
 * onnxruntime-node. Every problem is one error naming the option, or the file, line and column.
 * The `sensitive` columns' text cells come with every split (`carried`), features or not.
 */
export async function loadTabular(
  o: TabularOptions,
  valSplit: number | null,
  seed: number,
  sensitive: readonly string[] = [],
): Promise<TabularData> {
  const { label, ...tables } = await readTables(o);
  checkSensitive(tables, sensitive);
  const prepared = cliTabular(() =>
    prepareTables(tables, { settings: { ...o, label }, valSplit, seed, hints: CLI_HINTS, carry: sensitive }),
  );
  checkFeatureMemory(prepared);
  const graph = await openPreprocessGraph(prepared.preprocessing);
  try {
    return await withFeatures(prepared, graph);
  } finally {
    await graph.release();
  }
}
