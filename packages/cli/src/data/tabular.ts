import { encodeRecord, type Dataset, type Preprocessing, type Table, type Task } from '@onnx-mlp/core';
import { textColumns } from '@onnx-mlp/core/data';
import { rowPlace } from '@onnx-mlp/core/internal';
import { checkColumns, featureColumns, labelColumns, quoted, withLabelFile } from './columns.js';
import { openPreprocessGraph, type PreprocessGraph } from './preprocess-graph.js';
import { readTableFile } from './readers/index.js';
import { checkSplitCounts } from './split-counts.js';
import { splitRows, type RowSplit } from './table-split.js';
import { TabularStats, describeTask, type LabelPlan, type TabularColumns } from './tabular-stats.js';
import type { TabularOptions } from './tabular-options.js';

export { IMPUTE_CHOICES, TASK_CHOICES, type TabularOptions } from './tabular-options.js';
export { featureColumns, labelColumns, quoted } from './columns.js';
export { preprocess } from './preprocess-graph.js';

/** One split: the rows as model.onnx takes them (raw) and as the MLP sees them (features). */
export interface TabularSplit {
  /** The file the rows came from. */
  readonly file: string;
  /** One raw value per feature column (core's encodeRecord): what model.onnx's `input` takes. */
  readonly raw: Dataset;
  /** `raw` through the preprocessing graph, run by onnxruntime-node: what the training graphs take. */
  readonly features: Dataset;
}

/** A tabular data set ready to train on. */
export interface TabularData {
  readonly task: Task;
  /** The label column(s). */
  readonly labels: readonly string[];
  /** Class names in output order (classifiers), else null. */
  readonly classNames: readonly string[] | null;
  /** Width of the MLP's output layer. */
  readonly outputs: number;
  /** The preprocessing fitted on the train split: the raw columns in input order, with their kinds and statistics. */
  readonly preprocessing: Preprocessing;
  readonly train: TabularSplit;
  /** Null when no validation rows were asked for (`--val-split 0`). */
  readonly validation: TabularSplit | null;
  readonly test: TabularSplit;
  /** One line saying where the rows came from and how they were split. */
  readonly description: string;
  /** Things worth knowing that are not errors (a column that looks like an identifier). */
  readonly notices: readonly string[];
}

/** One file read whole: its table, its columns as text by name, and (once the labels are known) its targets. */
interface LoadedTable {
  readonly table: Table;
  readonly text: ReadonlyMap<string, readonly (string | null)[]>;
}

/** --data (with its --labels file joined), --val and --test, read whole, their columns checked. */
async function readTables(o: TabularOptions): Promise<{ data: Table; val: Table | null; test: Table | null; columns: TabularColumns }> {
  const data = o.labels ? withLabelFile(await readTableFile(o.file), await readTableFile(o.labels), o.label ?? 'label') : await readTableFile(o.file);
  const labels = labelColumns(data, o.label);
  const features = featureColumns(data, labels, o);
  const val = o.val === null ? null : await readTableFile(o.val);
  const test = o.test === null ? null : await readTableFile(o.test);
  for (const t of [val, test]) if (t) checkColumns(t, [...features, ...labels], o.file);
  return { data, val, test, columns: { labels, features } };
}

function loaded(table: Table): LoadedTable {
  return { table, text: new Map(textColumns(table).map((c) => [c.name, c.values])) };
}

/** The cells of `names` in row `row`, as text. */
function cellsOf(t: LoadedTable, names: readonly string[], row: number): (string | null)[] {
  return names.map((n) => t.text.get(n)![row] ?? null);
}

/** Every table's labels through `stats` (so classes cover them all), then each table's targets, `width` a row. */
function encodeTargets(stats: TabularStats, tables: readonly LoadedTable[]): { plan: LabelPlan; targets: Float32Array[] } {
  const { labels } = stats.columns;
  for (const t of tables) {
    for (let r = 0; r < t.table.rowCount; r++) stats.addLabels(cellsOf(t, labels, r), () => rowPlace(t.table, r));
  }
  const plan = stats.labelPlan(tables.map((t) => t.table.file));
  const targets = tables.map((t) => {
    const y = new Float32Array(t.table.rowCount * plan.width);
    for (let r = 0; r < t.table.rowCount; r++) y.set(plan.target(cellsOf(t, labels, r)), r * plan.width);
    return y;
  });
  return { plan, targets };
}

/** The split of --data: test and validation parts unless separate files stand in for them (stratified for classifiers). */
function splitData(o: TabularOptions, split: { rows: number; valSplit: number | null; seed: number; classes?: Float32Array }): RowSplit {
  const testRows = o.test ? 0 : Math.round(split.rows * (o.testSplit ?? 0));
  const validationRows = o.val ? 0 : Math.round(split.rows * (split.valSplit ?? 0));
  checkSplitCounts({
    file: o.file, rows: split.rows, validation: validationRows, test: testRows,
    valSplit: split.valSplit, testSplit: o.testSplit, valFile: o.val !== null, testFile: o.test !== null,
  });
  return splitRows(split.rows, { validationRows, testRows, seed: split.seed, ...(split.classes ? { classes: split.classes } : {}) });
}

/** --data's feature cells through `stats`, row by row in file order; the train rows are what it learns from. */
function addFeatures(stats: TabularStats, data: LoadedTable, split: RowSplit): void {
  const train = new Set(split.train);
  for (let r = 0; r < data.table.rowCount; r++) {
    stats.addFeatures(cellsOf(data, stats.columns.features, r), () => rowPlace(data.table, r), train.has(r));
  }
}

/** Rows `rows` of a table as raw model input (encodeRecord, the same encoder serving uses) and as features. */
async function encodeSplit(graph: PreprocessGraph, p: Preprocessing, part: { t: LoadedTable; rows: readonly number[]; targets: Float32Array; width: number }): Promise<TabularSplit> {
  const { t, rows, targets, width } = part;
  const names = p.columns.map((c) => c.name);
  const raw = new Float32Array(rows.length * names.length);
  const y = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    const record: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
    names.forEach((n) => { record[n] = t.text.get(n)![r] ?? null; });
    raw.set(encodeRecord(p, record, rowPlace(t.table, r)), i * names.length);
    y.set(targets.subarray(r * width, (r + 1) * width), i * width);
  });
  const features = await graph.run(raw);
  return {
    file: t.table.file,
    raw: { features: raw, rows: rows.length, cols: names.length, targets: y },
    features: { features, rows: rows.length, cols: graph.width, targets: y },
  };
}

/**
 * Reads `--data` (and `--val`/`--test` when given), encodes the label, splits the rows (stratified by
 * class for classifiers, seeded), infers every feature column's kind from the first values of --data
 * (with `--categorical` overrides), fits the preprocessing statistics on the train split only, and turns
 * every split into raw model input (core's encodeRecord) and, through the preprocessing graph run by
 * onnxruntime-node, into the MLP's features. Every problem is one error naming the option, or the
 * file, line and column. Labels, kinds and statistics are gathered as `streamTabular` gathers them
 * (TabularStats), row by row in file order.
 */
export async function loadTabular(o: TabularOptions, valSplit: number | null, seed: number): Promise<TabularData> {
  const files = await readTables(o);
  const [data, val, test] = [files.data, files.val, files.test].map((t) => (t ? loaded(t) : null));
  const tables = [data!, ...(val ? [val] : []), ...(test ? [test] : [])];
  const stats = new TabularStats(o, files.columns);
  const { plan, targets } = encodeTargets(stats, tables);
  const stratified = plan.task !== 'regression';
  const split = splitData(o, { rows: data!.table.rowCount, valSplit, seed, ...(stratified ? { classes: targets[0]! } : {}) });
  addFeatures(stats, data!, split);
  const preprocessing = stats.preprocessing();

  const graph = await openPreprocessGraph(preprocessing);
  const part = (k: number, rows?: readonly number[]) =>
    encodeSplit(graph, preprocessing, { t: tables[k]!, rows: rows ?? Array.from({ length: tables[k]!.table.rowCount }, (_, i) => i), targets: targets[k]!, width: plan.width });
  let splits: { train: TabularSplit; validation: TabularSplit | null; test: TabularSplit };
  try {
    splits = {
      train: await part(0, split.train),
      validation: val ? await part(1) : split.validation.length > 0 ? await part(0, split.validation) : null,
      test: test ? await part(tables.length - 1) : await part(0, split.test),
    };
  } finally {
    await graph.release();
  }
  const description = describeLoad(o, { plan, columns: files.columns, rows: data!.table.rowCount, seed, splits });
  return {
    task: plan.task, labels: files.columns.labels, classNames: plan.classNames, outputs: plan.outputs,
    preprocessing, ...splits, description, notices: stats.notices(),
  };
}

/** The data line: the file, what is predicted from how many columns, and how the rows were split. */
function describeLoad(o: TabularOptions, d: {
  plan: LabelPlan; columns: TabularColumns; rows: number; seed: number; splits: { train: TabularSplit; validation: TabularSplit | null; test: TabularSplit };
}): string {
  const how = `${d.plan.task !== 'regression' ? 'stratified' : 'random'} split with seed ${d.seed}`;
  const { train, validation, test } = d.splits;
  const parts = [
    `${train.raw.rows} train`,
    validation ? `${validation.raw.rows} validation${o.val ? ` (${o.val})` : ''}` : null,
    `${test.raw.rows} test${o.test ? ` (${o.test})` : ''}`,
  ].filter((s) => s !== null);
  const what = describeTask(d.plan, d.columns.labels);
  return `${o.file} (${d.rows} rows), ${what}, ${d.columns.features.length} feature columns: ${o.test && o.val ? 'separate validation and test files' : how}, ${parts.join(' / ')}`;
}
