// TODO(core): the steps of packages/cli/src/data/tabular.ts (loadTabular) for one table, calling the
// same core functions in the same order so that the CLI and the browser get the same split, kinds and
// statistics; the shared pipeline belongs in core (issue 12's "one tabular pipeline").
import {
  DataError, InvalidArgumentError, encodeModel, encodeRecord, featureWidth, fitPreprocessing, type Dataset, type Preprocessing, type Table, type Task,
} from '@onnx-mlp/core';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';
import { textColumns } from '@onnx-mlp/core/data';
import { rowPlace } from '@onnx-mlp/core/internal';
import { MISSING_TOKENS, columnValues, encodeLabels, inferKind, type ColumnValues, type TextColumn } from '@onnx-mlp/core/preprocess';
import { WebTrainError } from '../errors.js';
import type { ResolvedRuntime } from '../runtime.js';
import type { DataSettings } from './options.js';
import { splitRows } from './row-split.js';

/** One split: raw model input (what model.onnx takes) and the MLP's features (after preprocessing). */
export interface TabularSplit {
  readonly raw: Dataset;
  readonly features: Dataset;
}

/** A table ready to train on, as the CLI's loadTabular makes it. */
export interface TabularData {
  readonly task: Task;
  readonly labels: readonly string[];
  readonly classNames: readonly string[] | null;
  readonly outputs: number;
  readonly preprocessing: Preprocessing;
  readonly train: TabularSplit;
  readonly validation: TabularSplit | null;
  readonly test: TabularSplit;
  /** config.json's `data` line, worded as the CLI words it. */
  readonly description: string;
  readonly notices: readonly string[];
}

const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');
const isMissing = (v: string | null | undefined) => v === null || v === undefined || MISSING_TOKENS.has(v.trim());
const badOption = (option: string, value: unknown, reason: string) => new WebTrainError('bad-option', `${option} = ${JSON.stringify(value)}: ${reason}`);

function labelColumns(table: Table, label: string): string[] {
  const names = table.columns.map((c) => c.name);
  if (names.includes(label)) return [label];
  const parts = label.split(',').map((s) => s.trim());
  if (parts.length > 1 && parts.every((p) => names.includes(p)) && new Set(parts).size === parts.length) return parts;
  throw badOption('label', label, `not a column of ${table.file}; the columns are ${quoted(names)}`);
}

function featureColumns(table: Table, labels: readonly string[], o: DataSettings): string[] {
  const names = table.columns.map((c) => c.name);
  for (const [option, list] of [['features', o.features ?? []], ['exclude', o.exclude], ['categorical', o.categorical]] as const) {
    const unknown = list.find((n) => !names.includes(n));
    if (unknown !== undefined) throw badOption(option, list, `${JSON.stringify(unknown)} is not a column of ${table.file}; the columns are ${quoted(names)}`);
  }
  const features = o.features ? [...o.features] : names.filter((n) => !labels.includes(n) && !o.exclude.includes(n));
  const label = features.find((n) => labels.includes(n));
  if (label !== undefined) throw badOption('features', o.features, `${JSON.stringify(label)} is the label column`);
  if (features.length === 0) throw new WebTrainError('bad-option', `${table.file}: no feature columns are left besides the label ${quoted(labels)}`);
  return features;
}

function encodeTargets(table: Table, text: Map<string, TextColumn>, labels: readonly string[], task: Task | 'auto') {
  if (labels.length > 1 && task !== 'auto' && task !== 'regression') throw badOption('task', task, `several label columns (${quoted(labels)}) are regression targets`);
  const encoded = labels.map((name) => {
    try {
      return encodeLabels(text.get(name)!, labels.length > 1 ? 'regression' : task, (r) => rowPlace(table, r));
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw badOption(e.field, e.value, e.reason);
      if (e instanceof DataError && !e.message.startsWith(`${table.file}, `)) throw new WebTrainError('bad-data', `${table.file}: ${e.message}`, { cause: e });
      throw e;
    }
  });
  const width = encoded[0]!.task === 'regression' ? labels.length : 1;
  const targets = new Float32Array(table.rowCount * width);
  encoded.forEach((l, k) => l.targets.forEach((v, i) => { targets[i * width + k] = v; }));
  const first = encoded[0]!;
  return { task: first.task, classNames: first.task === 'regression' ? null : first.classNames, targets, width };
}

/** Kinds and statistics of the feature columns from the train rows only, with identifier notices. */
function fitColumns(table: Table, text: Map<string, TextColumn>, features: readonly string[], train: readonly number[], o: DataSettings) {
  const fitted: ColumnValues[] = features.map((name) => {
    const values = text.get(name)!.values;
    const column: TextColumn = { name, values: train.map((r) => values[r] ?? null) };
    if (column.values.every(isMissing)) {
      throw new WebTrainError('bad-data', `${table.file}, column "${name}": has no values in the ${train.length} rows of the train split: leave it out (exclude) or fill it`);
    }
    const kind = inferKind(column, o.categorical.includes(name) ? 'categorical' : undefined);
    return columnValues(column, kind, (i) => rowPlace(table, train[i]!));
  });
  const notices = fitted.flatMap((c) => {
    if (c.kind !== 'categorical' || o.categorical.includes(c.name) || c.values.length < 20) return [];
    const present = Array.from(c.values).filter((v) => v !== null);
    return new Set(present).size === present.length
      ? [`column ${JSON.stringify(c.name)} has a different value in every training row (an identifier?): its one-hot features cannot generalise; leave it out with exclude: [${JSON.stringify(c.name)}]`]
      : [];
  });
  const preprocessing = fitPreprocessing(fitted, {
    scaling: o.scaling, numericImpute: o.impute, categoricalMissing: o.missingCategory ? 'category' : 'most_frequent',
  });
  return { preprocessing, notices };
}

/** Rows of the table as raw model input (core's encodeRecord, as serving encodes them) with their targets. */
function rawRows(p: Preprocessing, table: Table, text: Map<string, TextColumn>, rows: readonly number[], targets: Float32Array, width: number): Dataset {
  const columns = p.columns.map((c) => ({ name: c.name, values: text.get(c.name)!.values }));
  const raw = new Float32Array(rows.length * columns.length);
  const y = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    const record = Object.create(null) as Record<string, string | null>;
    for (const c of columns) record[c.name] = c.values[r] ?? null;
    raw.set(encodeRecord(p, record, rowPlace(table, r)), i * columns.length);
    y.set(targets.subarray(r * width, (r + 1) * width), i * width);
  });
  return { features: raw, rows: rows.length, cols: columns.length, targets: y };
}

/**
 * Prepares a table as `onnx-mlp train --data` does: label encoding, the seeded (stratified for
 * classifiers) split, kinds and statistics fitted on the train split only, and every split as raw
 * rows and, through the preprocessing graph run on the runtime's CPU backend, as the MLP's features.
 */
export async function prepareTable(runtime: ResolvedRuntime, table: Table, o: DataSettings, split: { valSplit: number | null; seed: number }): Promise<TabularData> {
  const { ort } = runtime;
  const labels = labelColumns(table, o.label);
  const features = featureColumns(table, labels, o);
  const text = new Map(textColumns(table).map((c) => [c.name, c]));
  const { task, classNames, targets, width } = encodeTargets(table, text, labels, o.task);
  const n = table.rowCount;
  const testRows = Math.round(n * o.testSplit);
  const validationRows = Math.round(n * (split.valSplit ?? 0));
  if (testRows < 1) throw badOption('testSplit', o.testSplit, `leaves no test rows out of the ${n} of ${table.file}`);
  if ((split.valSplit ?? 0) > 0 && validationRows < 1) throw badOption('valSplit', split.valSplit, `leaves no validation rows out of the ${n} of ${table.file}`);
  if (n - testRows - validationRows < 1) throw new WebTrainError('bad-data', `${table.file} has ${n} rows: too few to hold out ${testRows} test and ${validationRows} validation rows and still train`);
  const stratified = task !== 'regression';
  const rows = splitRows(n, { validation: validationRows, test: testRows }, split.seed, stratified ? targets : undefined);
  const { preprocessing, notices } = fitColumns(table, text, features, rows.train, o);

  const session = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(preprocessing)), runtime.cpuSessionOptions);
  const featuresWidth = featureWidth(preprocessing);
  const make = async (part: readonly number[]): Promise<TabularSplit> => {
    const raw = rawRows(preprocessing, table, text, part, targets, width);
    const out = await session.run({ input: new ort.Tensor('float32', raw.features.slice(), [raw.rows, raw.cols]) });
    const x = Float32Array.from(out.features!.data as Float32Array);
    return { raw, features: { features: x, rows: raw.rows, cols: featuresWidth, targets: raw.targets } };
  };
  let train: TabularSplit;
  let validation: TabularSplit | null = null;
  let test: TabularSplit;
  try {
    train = await make(rows.train);
    if (rows.validation.length > 0) validation = await make(rows.validation);
    test = await make(rows.test);
  } finally {
    await session.release();
  }
  const what = task === 'regression' ? `regression on ${quoted(labels)}` : `${task} label ${JSON.stringify(labels[0])} (${classNames!.length} classes)`;
  const parts = [`${train.raw.rows} train`, validation ? `${validation.raw.rows} validation` : null, `${test.raw.rows} test`].filter((s) => s !== null);
  const description = `${table.file} (${n} rows), ${what}, ${features.length} feature columns: ${stratified ? 'stratified' : 'random'} split with seed ${split.seed}, ${parts.join(' / ')}`;
  return {
    task, labels, classNames, outputs: task === 'multiclass' ? classNames!.length : task === 'binary' ? 1 : labels.length,
    preprocessing, train, validation, test, description, notices,
  };
}
