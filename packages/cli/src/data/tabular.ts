import * as ort from 'onnxruntime-node';
import {
  DataError, DataFormatError, InvalidArgumentError, MISSING_TOKENS, buildPreprocessModel, columnValues, encodeLabels, encodeModel,
  encodeRecord, featureWidth, fitPreprocessing, inferKind, rowPlace, textColumns,
  type ColumnValues, type Dataset, type Labels, type Preprocessing, type Scaling, type Table, type Task, type TextColumn,
} from '@onnx-mlp/core';
import { OptionError, UserError } from '../errors.js';
import { readTableFile } from './readers/index.js';
import { splitRows } from './table-split.js';

/** The tasks `--task` takes; `auto` lets the label column decide. */
export const TASK_CHOICES = ['auto', 'multiclass', 'binary', 'regression'] as const;
/** The imputations `--impute` takes for missing numbers. */
export const IMPUTE_CHOICES = ['mean', 'median'] as const;

/** Where a tabular run's data comes from and how it becomes features: what config.json records. */
export interface TabularOptions {
  /** The data file (CSV, TSV, JSON, JSON Lines). */
  readonly file: string;
  /** The label column (regression: several, comma-separated, when no column has this exact name). */
  readonly label: string | null;
  readonly task: Task | 'auto';
  /** The feature columns, in this order; null: every column but the label and `exclude`, in file order. */
  readonly features: readonly string[] | null;
  readonly exclude: readonly string[];
  /** Columns that look numeric but are categories (codes). */
  readonly categorical: readonly string[];
  readonly scaling: Scaling;
  readonly impute: 'mean' | 'median';
  /** Missing categories get a dedicated category rather than the most frequent one. */
  readonly missingCategory: boolean;
  /** Fraction of the rows held out for the test split (null with `test`). */
  readonly testSplit: number | null;
  /** A separate validation file, or null to split one off. */
  readonly val: string | null;
  /** A separate test file, or null to split one off. */
  readonly test: string | null;
  /**
   * A file holding only the labels, one per row of `file` (IDX or NPY arrays, such as MNIST's
   * `*-labels-idx1-ubyte`), joined to it as the label column; null when `file` has its labels.
   */
  readonly labels?: string | null;
  /** --stream: the file is read in passes, never whole (absent without --stream). */
  readonly stream?: { readonly shuffleBuffer: number };
}

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

export function quoted(names: readonly string[], limit = 20): string {
  const shown = names.slice(0, limit).map((n) => JSON.stringify(n)).join(', ');
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}

function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name);
}

function isMissing(v: string | null | undefined): boolean {
  return v === null || v === undefined || MISSING_TOKENS.has(v.trim());
}

/** The label column(s) of `table` named by --label. */
export function labelColumns(table: Table, label: string | null): string[] {
  const names = columnNames(table);
  if (label === null) {
    throw new UserError(`--label is required with --data: name the column to predict (${table.file} has the columns ${quoted(names)})`);
  }
  if (names.includes(label)) return [label];
  const parts = label.split(',').map((s) => s.trim());
  if (parts.length > 1) {
    const unknown = parts.find((p) => !names.includes(p));
    if (unknown === undefined && new Set(parts).size === parts.length) return parts;
    if (unknown !== undefined) throw new OptionError('label', label, `${JSON.stringify(unknown)} is not a column of ${table.file}; the columns are ${quoted(names)}`);
    throw new OptionError('label', label, 'names a column twice');
  }
  throw new OptionError('label', label, `not a column of ${table.file}; the columns are ${quoted(names)}`);
}

/** The feature columns, checked against the file. */
export function featureColumns(table: Table, labels: readonly string[], o: TabularOptions): string[] {
  const names = columnNames(table);
  const check = (option: string, list: readonly string[]) => {
    for (const name of list) {
      if (!names.includes(name)) throw new OptionError(option, list, `${JSON.stringify(name)} is not a column of ${table.file}; the columns are ${quoted(names)}`);
    }
    const twice = list.find((n, i) => list.indexOf(n) !== i);
    if (twice !== undefined) throw new OptionError(option, list, `names ${JSON.stringify(twice)} twice`);
  };
  let features: string[];
  if (o.features !== null) {
    check('features', o.features);
    const label = o.features.find((n) => labels.includes(n));
    if (label !== undefined) throw new OptionError('features', o.features, `${JSON.stringify(label)} is the label column`);
    features = [...o.features];
  } else {
    check('exclude', o.exclude);
    features = names.filter((n) => !labels.includes(n) && !o.exclude.includes(n));
  }
  if (features.length === 0) throw new UserError(`${table.file}: no feature columns are left besides the label ${quoted(labels)}`);
  for (const name of o.categorical) {
    if (!features.includes(name)) {
      throw new OptionError('categorical', o.categorical, `${JSON.stringify(name)} is not a feature column (the features are ${quoted(features)})`);
    }
  }
  return features;
}

/** A separate validation or test file must have every column training uses. */
function checkColumns(table: Table, needed: readonly string[], data: string): void {
  const have = new Set(columnNames(table));
  const missing = needed.filter((n) => !have.has(n));
  if (missing.length > 0) {
    throw new DataFormatError({ file: table.file }, `has no column ${quoted(missing)}; it needs the columns training uses from ${data}: ${quoted(needed)}`);
  }
}

/** One table's text columns by name. */
function textByName(table: Table): Map<string, TextColumn> {
  return new Map(textColumns(table).map((c) => [c.name, c]));
}

/** The labels of every table, read as one column each so class names and the task cover them all. */
function encodeAllLabels(tables: readonly Table[], text: readonly Map<string, TextColumn>[], labels: readonly string[], task: Task | 'auto'): Labels[] {
  const offsets: number[] = [];
  let total = 0;
  for (const t of tables) {
    offsets.push(total);
    total += t.rowCount;
  }
  const where = (i: number) => {
    let k = tables.length - 1;
    while (offsets[k]! > i) k--;
    return rowPlace(tables[k]!, i - offsets[k]!);
  };
  if (labels.length > 1 && task !== 'auto' && task !== 'regression') {
    throw new OptionError('task', task, `several label columns (${quoted(labels)}) are regression targets; use --task regression or auto`);
  }
  return labels.map((name) => {
    const column: TextColumn = { name, values: text.flatMap((m) => m.get(name)!.values) };
    try {
      return encodeLabels(column, labels.length > 1 ? 'regression' : task, where);
    } catch (e) {
      if (e instanceof InvalidArgumentError && e.field === 'task') throw new OptionError('task', e.value, e.reason);
      // A whole-column problem (a single class) names no file yet.
      if (e instanceof DataError && !(e instanceof DataFormatError) && !tables.some((t) => e.message.startsWith(`${t.file}, `))) {
        throw new DataError(`${tables.map((t) => t.file).join(', ')}: ${e.message}`);
      }
      throw e;
    }
  });
}

/** Runs the preprocessing graph over raw rows [rows, columns] and returns the features [rows, width]. */
export async function preprocess(session: ort.InferenceSession, raw: Float32Array, columns: number, width: number): Promise<Float32Array> {
  const rows = raw.length / columns;
  const out = new Float32Array(rows * width);
  const chunk = 65536;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const input = new ort.Tensor('float32', raw.subarray(start * columns, (start + n) * columns), [n, columns]);
    const result = await session.run({ input });
    out.set(result.features!.data as Float32Array, start * width);
  }
  return out;
}

/** Rows `rows` of `table` as raw model input (encodeRecord, the same encoder serving uses), with their targets. */
function rawSplit(p: Preprocessing, table: Table, text: Map<string, TextColumn>, rows: readonly number[], targets: Float32Array, width: number): Dataset {
  const columns = p.columns.map((c) => ({ name: c.name, values: text.get(c.name)!.values }));
  const raw = new Float32Array(rows.length * columns.length);
  const y = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    const record: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
    for (const c of columns) record[c.name] = c.values[r] ?? null;
    raw.set(encodeRecord(p, record, rowPlace(table, r)), i * columns.length);
    y.set(targets.subarray(r * width, (r + 1) * width), i * width);
  });
  return { features: raw, rows: rows.length, cols: columns.length, targets: y };
}

/**
 * Reads `--data` (and `--val`/`--test` when given), encodes the label, splits the rows (stratified by
 * class for classifiers, seeded), infers every feature column's kind on the train split (with
 * `--categorical` overrides), fits the preprocessing statistics on the train split only, and turns
 * every split into raw model input (core's encodeRecord) and, through the preprocessing graph run by
 * onnxruntime-node, into the MLP's features. Every problem is one error naming the option, or the
 * file, line and column.
 */
export async function loadTabular(o: TabularOptions, valSplit: number | null, seed: number): Promise<TabularData> {
  const data = o.labels ? withLabelFile(await readTableFile(o.file), await readTableFile(o.labels), o.label ?? 'label') : await readTableFile(o.file);
  const labels = labelColumns(data, o.label);
  const features = featureColumns(data, labels, o);
  const val = o.val === null ? null : await readTableFile(o.val);
  const test = o.test === null ? null : await readTableFile(o.test);
  for (const t of [val, test]) if (t) checkColumns(t, [...features, ...labels], o.file);

  const tables = [data, ...(val ? [val] : []), ...(test ? [test] : [])];
  const text = tables.map(textByName);
  const encoded = encodeAllLabels(tables, text, labels, o.task);
  const task = encoded[0]!.task;
  const classNames = encoded[0]!.task === 'regression' ? null : encoded[0]!.classNames;
  const width = task === 'regression' ? labels.length : 1;
  // Targets of all tables, row-major (width values a row), then cut per table.
  const total = tables.reduce((n, t) => n + t.rowCount, 0);
  const all = new Float32Array(total * width);
  encoded.forEach((l, k) => l.targets.forEach((v, i) => { all[i * width + k] = v; }));
  let offset = 0;
  const targetsOf = tables.map((t) => {
    const part = all.subarray(offset * width, (offset + t.rowCount) * width);
    offset += t.rowCount;
    return part;
  });

  // The split of --data: test and validation parts unless separate files stand in for them.
  const n = data.rowCount;
  const testRows = test ? 0 : Math.round(n * (o.testSplit ?? 0));
  const validationRows = val ? 0 : Math.round(n * (valSplit ?? 0));
  if (!test && testRows < 1) throw new OptionError('test-split', o.testSplit, `leaves no test rows out of the ${n} of ${o.file}`);
  if (!val && (valSplit ?? 0) > 0 && validationRows < 1) throw new OptionError('val-split', valSplit, `leaves no validation rows out of the ${n} of ${o.file}`);
  if (n - testRows - validationRows < 1) {
    throw new UserError(`${o.file} has ${n} rows: too few to hold out ${testRows} test and ${validationRows} validation rows and still train`);
  }
  const stratified = task !== 'regression';
  const split = splitRows(n, validationRows, testRows, seed, stratified ? targetsOf[0] : undefined);

  // Kinds and statistics from the train split only.
  const dataText = text[0]!;
  const fitted: ColumnValues[] = features.map((name) => {
    const values = dataText.get(name)!.values;
    const column: TextColumn = { name, values: split.train.map((r) => values[r] ?? null) };
    if (column.values.every(isMissing)) {
      const reason = values.every(isMissing)
        ? `is entirely missing (no values in ${n} rows): drop it (--exclude ${name}) or fill it`
        : `has no values in the ${split.train.length} rows of the train split: drop it (--exclude ${name}) or fill it`;
      throw new DataFormatError({ file: o.file, column: name }, reason);
    }
    const kind = inferKind(column, o.categorical.includes(name) ? 'categorical' : undefined);
    return columnValues(column, kind, (i) => rowPlace(data, split.train[i]!));
  });
  // A category per row (an identifier) only adds one-hot features that cannot generalise.
  const notices = fitted.flatMap((c) => {
    if (c.kind !== 'categorical' || o.categorical.includes(c.name) || c.values.length < 20) return [];
    const present = Array.from(c.values).filter((v) => v !== null);
    return new Set(present).size === present.length
      ? [`column ${JSON.stringify(c.name)} has a different value in every training row (an identifier?): its one-hot features cannot generalise; leave it out with --exclude ${c.name}`]
      : [];
  });
  const preprocessing = fitPreprocessing(fitted, {
    scaling: o.scaling, numericImpute: o.impute, categoricalMissing: o.missingCategory ? 'category' : 'most_frequent',
  });

  const session = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(preprocessing)));
  const featuresWidth = featureWidth(preprocessing);
  const make = async (table: Table, k: number, rows: readonly number[]): Promise<TabularSplit> => {
    const raw = rawSplit(preprocessing, table, text[k]!, rows, targetsOf[k]!, width);
    const x = await preprocess(session, raw.features, raw.cols, featuresWidth);
    return { file: table.file, raw, features: { features: x, rows: raw.rows, cols: featuresWidth, targets: raw.targets } };
  };
  const range = (t: Table) => Array.from({ length: t.rowCount }, (_, i) => i);
  let trainSplit: TabularSplit;
  let validation: TabularSplit | null = null;
  let testSplit: TabularSplit;
  try {
    trainSplit = await make(data, 0, split.train);
    if (val) validation = await make(val, 1, range(val));
    else if (split.validation.length > 0) validation = await make(data, 0, split.validation);
    testSplit = test ? await make(test, tables.length - 1, range(test)) : await make(data, 0, split.test);
  } finally {
    await session.release();
  }

  const what = task === 'regression' ? `regression on ${quoted(labels)}` : `${task} label ${JSON.stringify(labels[0])} (${classNames!.length} classes)`;
  const how = `${stratified ? 'stratified' : 'random'} split with seed ${seed}`;
  const parts = [
    `${trainSplit.raw.rows} train`,
    validation ? `${validation.raw.rows} validation${val ? ` (${val.file})` : ''}` : null,
    `${testSplit.raw.rows} test${test ? ` (${test.file})` : ''}`,
  ].filter((s) => s !== null);
  const description = `${o.file} (${n} rows), ${what}, ${features.length} feature columns: ${test && val ? 'separate validation and test files' : how}, ${parts.join(' / ')}`;
  return {
    task, labels, classNames,
    outputs: task === 'multiclass' ? classNames!.length : task === 'binary' ? 1 : labels.length,
    preprocessing, train: trainSplit, validation, test: testSplit, description, notices,
  };
}

/** `data` with the one column of `labels` (a labels-only file) appended as column `name`. */
function withLabelFile(data: Table, labels: Table, name: string): Table {
  if (labels.columns.length !== 1) {
    throw new DataFormatError({ file: labels.file }, `a labels file holds one value per row; it has ${labels.columns.length} columns`);
  }
  if (labels.rowCount !== data.rowCount) {
    throw new DataFormatError({ file: labels.file }, `has ${labels.rowCount} labels for the ${data.rowCount} rows of ${data.file}`);
  }
  if (data.columns.some((c) => c.name === name)) throw new OptionError('label', name, `is already a column of ${data.file}`);
  return { ...data, columns: [...data.columns, { name, index: data.columns.length, cells: labels.columns[0]!.cells }] };
}
