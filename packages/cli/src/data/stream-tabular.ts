import * as ort from 'onnxruntime-node';
import {
  DataError, MISSING_TOKENS, Rng, StreamingPreprocessing, buildPreprocessModel, encodeModel, encodeRecord, featureWidth, formatLocation,
  type Cell, type ColumnKind, type Dataset, type Preprocessing, type SourceRow, type Table, type Task,
} from '@onnx-mlp/core';
import { OptionError, UserError } from '../errors.js';
import { dataFileBatches, dataFileFormat } from './readers/index.js';
import { featureColumns, labelColumns, preprocess, quoted, type TabularOptions } from './tabular.js';

/** Which part of the data a row belongs to. */
const TRAIN = 0;
const VALIDATION = 1;
const TEST = 2;

/** Distinct label values kept for classification; a label with more is only a regression target. */
const MAX_CLASSES = 65536;

/**
 * A data file read in passes (`--stream`), never whole: a first pass for the statistics, then one
 * pass an epoch over the train rows. Validation and test rows are kept in memory as raw model input
 * (one float32 a feature column), collected during the first training pass: they are the
 * --val-split and --test-split fraction of the file.
 */
export interface StreamedData {
  readonly task: Task;
  readonly label: string;
  readonly features: readonly string[];
  readonly classNames: readonly string[] | null;
  readonly outputs: number;
  /** Fitted on the train rows of the first pass. */
  readonly preprocessing: Preprocessing;
  /** Rows of each part (the split is decided in the first pass, the same in every pass). */
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  readonly description: string;
  readonly notices: readonly string[];
  /** One epoch's train rows: shuffle buffers of rows through the preprocessing graph, as the MLP's features. */
  chunks(epoch: number): AsyncIterable<Dataset>;
  /** The validation rows as features, once a training pass has collected them (else null). */
  validation(): Dataset | null;
  /** Reads the file once more if no complete pass has collected the held-out rows yet. */
  collectHeldOut(): Promise<void>;
  /** The test rows as raw model input (after a complete pass or `collectHeldOut`). */
  test(): Dataset;
  release(): Promise<void>;
}

function cellText(c: Cell | undefined): string | null {
  return c === null || c === undefined ? null : typeof c === 'string' ? c : String(c);
}

function isMissing(v: string | null): boolean {
  return v === null || MISSING_TOKENS.has(v.trim());
}

/** The split of every row, decided row by row in file order by a seeded generator: the same every pass. */
function splitter(seed: number, validation: number, test: number): () => number {
  const rng = new Rng((seed ^ 0x5eed5eed) >>> 0);
  return () => {
    const u = rng.uniform();
    return u < test ? TEST : u < test + validation ? VALIDATION : TRAIN;
  };
}

/** A float32 buffer that grows by doubling. */
class Floats {
  private data = new Float32Array(1024);
  length = 0;
  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) {
      const bigger = new Float32Array(Math.max(this.data.length * 2, this.length + values.length));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  values(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** A table with no rows, for the column checks shared with the in-memory reader. */
function headerTable(file: string, names: readonly string[]): Table {
  return { file, format: 'csv', columns: names.map((name, index) => ({ name, index, cells: [] })), rowCount: 0 };
}

/** Streams `--data` once for the split, the label classes and the preprocessing statistics (train rows only). */
export async function streamTabular(o: TabularOptions, valSplit: number | null, seed: number): Promise<StreamedData> {
  const format = dataFileFormat(o.file);
  if (format === 'json' || format === 'idx' || format === 'npy') {
    throw new OptionError('stream', true, `reads CSV, TSV and JSON Lines; ${o.file} is ${format}`);
  }
  const shuffleBuffer = o.stream!.shuffleBuffer;
  const validationFraction = valSplit ?? 0;
  const testFraction = o.testSplit ?? 0;
  let label = '';
  let features: string[] = [];
  let labelIndex = -1;
  let featureIndex: number[] = [];
  let stats: StreamingPreprocessing | null = null;
  let classes: Map<string, number> | null = new Map();
  let labelNumeric = true;
  let labelInteger = true;
  let firstNonNumber: string | null = null;
  const counts = [0, 0, 0];
  const next = splitter(seed, validationFraction, testFraction);
  for await (const batch of dataFileBatches(o.file)) {
    if (stats === null) {
      const table = headerTable(o.file, batch.columns);
      label = labelColumns(table, o.label)[0]!;
      features = featureColumns(table, [label], o);
      labelIndex = batch.columns.indexOf(label);
      featureIndex = features.map((f) => batch.columns.indexOf(f));
      stats = new StreamingPreprocessing(features, new Map(o.categorical.map((c) => [c, 'categorical' as ColumnKind])));
    }
    for (const row of batch.rows) {
      const where = () => formatLocation({ file: o.file, line: row.line });
      const y = cellText(row.cells[labelIndex]);
      if (isMissing(y)) throw new DataError(`${where()}, label column "${label}" is empty`);
      const v = y!.trim();
      const n = Number(v);
      if (!Number.isFinite(n)) {
        labelNumeric = false;
        firstNonNumber ??= `${where()}, label column "${label}": "${v}" is not a number (regression)`;
      } else if (!Number.isInteger(n)) labelInteger = false;
      if (classes !== null) {
        classes.set(v, (classes.get(v) ?? 0) + 1);
        if (classes.size > MAX_CLASSES) classes = null;
      }
      const part = next();
      counts[part]!++;
      if (part === TRAIN) stats.add(featureIndex.map((i) => cellText(row.cells[i])), where);
    }
  }
  if (stats === null) throw new DataError(`${o.file} has no rows`);

  const task: Task = o.task !== 'auto' ? o.task : labelNumeric && !labelInteger ? 'regression' : classes?.size === 2 ? 'binary' : 'multiclass';
  let classNames: string[] | null = null;
  if (task === 'regression') {
    if (!labelNumeric) throw new DataError(firstNonNumber!);
  } else {
    if (classes === null) throw new DataError(`label column "${label}" has more than ${MAX_CLASSES} distinct values: too many classes (regression? --task regression)`);
    classNames = [...classes.keys()].sort(labelNumeric ? (a, b) => Number(a) - Number(b) : undefined);
    if (classNames.length < 2) throw new DataError(`${o.file}: label column "${label}" has a single class (${JSON.stringify(classNames[0])}): a classifier needs at least two`);
    if (task === 'binary' && classNames.length !== 2) throw new OptionError('task', 'binary', `label column "${label}" has ${classNames.length} classes`);
  }
  const [trainRows, validationRows, testRows] = counts as [number, number, number];
  const total = trainRows + validationRows + testRows;
  if (testRows < 1) throw new OptionError('test-split', o.testSplit, `leaves no test rows out of the ${total} of ${o.file}`);
  if (validationFraction > 0 && validationRows < 1) throw new OptionError('val-split', valSplit, `leaves no validation rows out of the ${total} of ${o.file}`);
  if (trainRows < 1) throw new UserError(`${o.file} has ${total} rows: too few to hold out ${testRows} test and ${validationRows} validation rows and still train`);

  let preprocessing: Preprocessing;
  try {
    preprocessing = stats.finish({ scaling: o.scaling, numericImpute: o.impute, categoricalMissing: o.missingCategory ? 'category' : 'most_frequent' });
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${o.file} (train rows): ${e.message}`);
    throw e;
  }
  const notices = stats.columns.flatMap((c) => {
    if (c.kind !== 'categorical' || o.categorical.includes(c.name) || c.present < 20) return [];
    return c.categoryCounts().size === c.present
      ? [`column ${JSON.stringify(c.name)} has a different value in every training row (an identifier?): its one-hot features cannot generalise; leave it out with --exclude ${c.name}`]
      : [];
  });

  const cols = features.length;
  const width = featureWidth(preprocessing);
  const classIndex = new Map((classNames ?? []).map((c, i) => [c, i]));
  const session = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(preprocessing)));
  const encode = (row: SourceRow): Float32Array => {
    const record: Record<string, Cell> = Object.create(null) as Record<string, Cell>;
    features.forEach((f, k) => { record[f] = row.cells[featureIndex[k]!] ?? null; });
    return encodeRecord(preprocessing, record, formatLocation({ file: o.file, line: row.line }));
  };
  const target = (row: SourceRow): number => {
    const v = cellText(row.cells[labelIndex])!.trim();
    return task === 'regression' ? Number(v) : classIndex.get(v)!;
  };

  const held = { done: false, validation: null as Dataset | null, validationRaw: null as Dataset | null, test: null as Dataset | null };
  async function* pass(epoch: number, train: boolean): AsyncGenerator<Dataset, void, undefined> {
    const collect = !held.done;
    const part = splitter(seed, validationFraction, testFraction);
    // Shuffles each buffer; seeded by the epoch, independent of the trainer's generator (so a resumed run repeats it).
    const rng = new Rng(((seed ^ 0x9e3779b9) + epoch) >>> 0);
    const keep = [null, { x: new Floats(), y: new Floats() }, { x: new Floats(), y: new Floats() }] as const;
    let raw = new Float32Array(shuffleBuffer * cols);
    let y = new Float32Array(shuffleBuffer);
    let n = 0;
    const chunk = async (rows: number): Promise<Dataset> => {
      const order = rng.permutation(rows);
      const shuffled = new Float32Array(rows * cols);
      const targets = new Float32Array(rows);
      order.forEach((r, i) => {
        shuffled.set(raw.subarray(r * cols, (r + 1) * cols), i * cols);
        targets[i] = y[r]!;
      });
      return { features: await preprocess(session, shuffled, cols, width), rows, cols: width, targets };
    };
    for await (const batch of dataFileBatches(o.file)) {
      for (const row of batch.rows) {
        const p = part();
        if (p === TRAIN) {
          if (!train) continue;
          raw.set(encode(row), n * cols);
          y[n++] = target(row);
          if (n === shuffleBuffer) {
            yield await chunk(n);
            raw = new Float32Array(shuffleBuffer * cols);
            y = new Float32Array(shuffleBuffer);
            n = 0;
          }
        } else if (collect) {
          keep[p]!.x.push(encode(row));
          keep[p]!.y.push([target(row)]);
        }
      }
    }
    if (n > 0) yield await chunk(n);
    if (collect) {
      const dataset = (k: 1 | 2): Dataset => ({ features: keep[k].x.values(), rows: keep[k].y.length, cols, targets: keep[k].y.values() });
      held.validationRaw = dataset(VALIDATION);
      held.test = dataset(TEST);
      if (held.validationRaw.rows > 0) {
        const v = held.validationRaw;
        held.validation = { features: await preprocess(session, v.features, cols, width), rows: v.rows, cols: width, targets: v.targets };
      }
      held.done = true;
    }
  }

  const what = task === 'regression' ? `regression on ${quoted([label])}` : `${task} label ${JSON.stringify(label)} (${classNames!.length} classes)`;
  const description = `${o.file} (${total} rows, streamed), ${what}, ${features.length} feature columns: random split with seed ${seed}, `
    + `${trainRows} train${validationRows > 0 ? ` / ${validationRows} validation` : ''} / ${testRows} test, shuffle buffer ${shuffleBuffer}`;
  return {
    task, label, features, classNames, preprocessing, description, notices,
    outputs: task === 'multiclass' ? classNames!.length : 1,
    rows: { train: trainRows, validation: validationRows, test: testRows },
    chunks: (epoch) => pass(epoch, true),
    validation: () => held.validation,
    collectHeldOut: async () => {
      if (held.done) return;
      for await (const _ of pass(0, false)) { /* collects only */ }
    },
    test: () => {
      if (!held.test) throw new Error('the test rows are collected by a complete pass over the data first');
      return held.test;
    },
    release: () => session.release(),
  };
}
