import { rowPlace, textColumns, type Table } from '../data/table.js';
import { encodeRecord } from '../preprocess/record.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { checkColumns, excludedColumns, featureColumns, labelColumns } from './columns.js';
import type { TabularHints, TabularSettings, TabularColumns } from './settings.js';
import { checkSplitCounts, heldOutCounts } from './split-counts.js';
import { splitRows, type RowSplit } from './split-rows.js';
import { TabularStats, describeTask, type LabelPlan } from './tabular-stats.js';
import { withoutUnlabelled } from './unlabelled-rows.js';
import type { PreparedTables, RawSplit } from './tabular-data.js';

/** The tables of a run: the data, and separate validation and test tables where they stand in for the split's parts. */
export interface TabularTables {
  readonly data: Table;
  readonly val: Table | null;
  readonly test: Table | null;
}

/** How to prepare the tables: the settings, the validation fraction and seed of the split, the front end's hints. */
export interface PrepareTablesOptions {
  readonly settings: TabularSettings;
  /** Fraction of the data held out for validation; null for none (or a validation table). */
  readonly valSplit: number | null;
  readonly seed: number;
  readonly hints: TabularHints;
  /** Columns whose text cells every split carries beside its rows, not as features: the sensitive columns of per-group metrics. */
  readonly carry?: readonly string[];
}

/** One table with its columns as text by name. */
interface TextTable {
  readonly table: Table;
  readonly text: ReadonlyMap<string, readonly (string | null)[]>;
}

function textTable(table: Table): TextTable {
  return { table, text: new Map(textColumns(table).map((c) => [c.name, c.values])) };
}

/** The cells of `names` in row `row`, as text. */
function cellsOf(t: TextTable, names: readonly string[], row: number): (string | null)[] {
  return names.map((n) => t.text.get(n)![row] ?? null);
}

/** The label and feature columns of the data, checked against the settings and the other tables. */
export function tableColumns(tables: TabularTables, settings: TabularSettings): TabularColumns {
  const labels = labelColumns(tables.data, settings.label);
  const features = featureColumns(tables.data, labels, settings);
  for (const t of [tables.val, tables.test]) if (t) checkColumns(t, [...features, ...labels], tables.data.file);
  return { labels, features };
}

/** Every table's labels through `stats` (so classes cover them all), then each table's targets, `width` a row. */
function encodeTargets(stats: TabularStats, tables: readonly TextTable[]): { plan: LabelPlan; targets: Float32Array[] } {
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

/** The data's feature cells through `stats`, row by row in file order; the train rows are what it learns from. */
function addFeatures(stats: TabularStats, data: TextTable, split: RowSplit): void {
  const train = new Set(split.train);
  for (let r = 0; r < data.table.rowCount; r++) {
    stats.addFeatures(cellsOf(data, stats.columns.features, r), () => rowPlace(data.table, r), train.has(r));
  }
}

/** Rows `rows` of a table as raw model input (encodeRecord, the same encoder serving uses), with their targets. */
function encodeRows(
  p: Preprocessing,
  part: {
    t: TextTable;
    rows: readonly number[];
    targets: Float32Array;
    width: number;
    carry: readonly string[];
    nonfinite: 'error' | 'missing';
  },
): RawSplit {
  const { t, rows, targets, width, carry, nonfinite } = part;
  const names = p.columns.map((c) => c.name);
  const raw = new Float32Array(rows.length * names.length);
  const y = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    const record: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
    names.forEach((n) => {
      record[n] = t.text.get(n)![r] ?? null;
    });
    raw.set(encodeRecord(p, record, rowPlace(t.table, r), { nonfinite }), i * names.length);
    y.set(targets.subarray(r * width, (r + 1) * width), i * width);
  });
  const carried =
    carry.length === 0 ? {} : { carried: Object.fromEntries(carry.map((n) => [n, rows.map((r) => t.text.get(n)?.[r] ?? null)])) };
  return { file: t.table.file, raw: { features: raw, rows: rows.length, cols: names.length, targets: y }, ...carried };
}

/** The split of the data: test and validation parts unless separate tables stand in for them (stratified for classifiers). */
function splitData(tables: TabularTables, o: PrepareTablesOptions, classes: Float32Array | undefined): RowSplit {
  const rows = tables.data.rowCount;
  const given = { valSplit: o.valSplit, testSplit: o.settings.testSplit, valFile: tables.val !== null, testFile: tables.test !== null };
  const counts = heldOutCounts(rows, given);
  checkSplitCounts({ file: tables.data.file, rows, ...counts, ...given });
  return splitRows(rows, { validationRows: counts.validation, testRows: counts.test, seed: o.seed, ...(classes ? { classes } : {}) });
}

/**
 * The in-memory tabular pipeline, the same for the CLI and the browser: checks the columns, encodes
 * the labels of every table, splits the data's rows (stratified by class for classifiers, seeded),
 * infers every feature's kind from the first values of the data, fits the preprocessing statistics on
 * the train split only (TabularStats, row by row in file order, as a streamed run gathers them), and
 * turns every split into raw model input (encodeRecord). `withFeatures` runs the preprocessing graph.
 */
export function prepareTables(given: TabularTables, o: PrepareTablesOptions): PreparedTables {
  const columns = tableColumns(given, o.settings);
  const { tables, dropped } = o.settings.dropMissingLabel ? labelledTables(given, columns.labels) : { tables: given, dropped: 0 };
  const data = textTable(tables.data);
  const val = tables.val ? textTable(tables.val) : null;
  const test = tables.test ? textTable(tables.test) : null;
  const all = [data, ...(val ? [val] : []), ...(test ? [test] : [])];
  const stats = new TabularStats({ settings: o.settings, file: tables.data.file, hints: o.hints }, columns);
  stats.noteDropped(dropped);
  const { plan, targets } = encodeTargets(stats, all);
  const split = splitData(tables, o, plan.task !== 'regression' ? targets[0]! : undefined);
  addFeatures(stats, data, split);
  for (const r of split.train) stats.addTrainTargets(targets[0]!, r * plan.width);
  const preprocessing = stats.preprocessing();
  const part = (k: number, rows?: readonly number[]) =>
    encodeRows(preprocessing, {
      t: all[k]!,
      rows: rows ?? Array.from({ length: all[k]!.table.rowCount }, (_, i) => i),
      targets: targets[k]!,
      width: plan.width,
      carry: o.carry ?? [],
      nonfinite: o.settings.nonfinite ?? 'error',
    });
  const splits = {
    train: part(0, split.train),
    validation: val ? part(1) : split.validation.length > 0 ? part(0, split.validation) : null,
    test: test ? part(all.length - 1) : part(0, split.test),
  };
  const description = describeTabular({
    tables: given,
    plan,
    columns,
    seed: o.seed,
    rows: { train: splits.train.raw.rows, validation: splits.validation?.raw.rows ?? null, test: splits.test.raw.rows },
    dropped,
  });
  return {
    task: plan.task,
    labels: columns.labels,
    classNames: plan.classNames,
    outputs: plan.outputs,
    preprocessing,
    targetScaling: stats.targetScaling(plan),
    droppedRows: dropped,
    excluded: excludedColumns(
      given.data.columns.map((c) => c.name),
      columns,
      o.settings,
    ),
    ...splits,
    description,
    notices: stats.notices(preprocessing),
  };
}

/** Every table without its rows that miss a label, and how many rows that left out in all. */
function labelledTables(tables: TabularTables, labels: readonly string[]): { tables: TabularTables; dropped: number } {
  const data = withoutUnlabelled(tables.data, labels);
  const val = tables.val ? withoutUnlabelled(tables.val, labels) : null;
  const test = tables.test ? withoutUnlabelled(tables.test, labels) : null;
  return {
    tables: { data: data.table, val: val?.table ?? null, test: test?.table ?? null },
    dropped: data.dropped + (val?.dropped ?? 0) + (test?.dropped ?? 0),
  };
}

/** The data line: the table, what is predicted from how many columns, how the rows were split (and how many were left out unlabelled). */
export function describeTabular(d: {
  tables: { data: { file: string; rowCount: number }; val: { file: string } | null; test: { file: string } | null };
  plan: LabelPlan;
  columns: TabularColumns;
  seed: number;
  rows: { train: number; validation: number | null; test: number };
  dropped?: number;
}): string {
  const { data, val, test } = d.tables;
  const how = `${d.plan.task !== 'regression' ? 'stratified' : 'random'} split with seed ${d.seed}`;
  const parts = [
    `${d.rows.train} train`,
    d.rows.validation !== null ? `${d.rows.validation} validation${val ? ` (${val.file})` : ''}` : null,
    `${d.rows.test} test${test ? ` (${test.file})` : ''}`,
  ].filter((s) => s !== null);
  const what = describeTask(d.plan, d.columns.labels);
  const dropped = d.dropped ? `, ${d.dropped} without a label left out` : '';
  return `${data.file} (${data.rowCount} rows${dropped}), ${what}, ${d.columns.features.length} feature columns: ${test && val ? 'separate validation and test files' : how}, ${parts.join(' / ')}`;
}
