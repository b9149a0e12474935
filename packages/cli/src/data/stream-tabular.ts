import { DataError, type Dataset, type Preprocessing, type Task } from '@onnx-mlp/core';
import type { TargetScaling } from '@onnx-mlp/core/preprocess';
import type { Cell, SourceRow } from '@onnx-mlp/core/data';
import { formatLocation } from '@onnx-mlp/core/internal';
import { excludedColumns, missingLabel, type ExcludedColumn } from '@onnx-mlp/core/tabular';
import { OptionError } from '../errors.js';
import { featureColumns, headerTable, labelColumns } from './columns.js';
import { openPreprocessGraph } from './preprocess-graph.js';
import { dataFileBatches, dataFileFormat } from './readers/index.js';
import { checkSplitCounts } from './split-counts.js';
import { StreamPasses, TRAIN, splitter } from './stream-passes.js';
import { TabularStats, describeTask, type LabelPlan } from './tabular-stats.js';
import type { TabularOptions } from './tabular-options.js';

/**
 * A data file read in passes (`--stream`), never whole: a first pass for the statistics, then one
 * pass an epoch over the train rows. Validation and test rows are kept in memory as raw model input
 * (one float32 a feature column), collected during the first training pass: they are the
 * --val-split and --test-split fraction of the file.
 */
export interface StreamedData {
  readonly task: Task;
  /** The label column(s). */
  readonly labels: readonly string[];
  readonly features: readonly string[];
  readonly classNames: readonly string[] | null;
  readonly outputs: number;
  /** Fitted on the train rows of the first pass. */
  readonly preprocessing: Preprocessing;
  /** Regression: the targets' standardisation, fitted on the train rows of the first pass; else null. */
  readonly targetScaling: TargetScaling | null;
  /** Rows left out for a missing label (--drop-missing-label), in every pass alike. */
  readonly droppedRows: number;
  /** The file's columns the model does not use, and why. */
  readonly excluded: readonly ExcludedColumn[];
  /** Rows of each part (the split is decided in the first pass, the same in every pass). */
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  readonly description: string;
  readonly notices: readonly string[];
  /** One epoch's train rows: shuffle buffers of rows through the preprocessing graph, as the MLP's features. */
  chunks(epoch: number): AsyncIterable<Dataset>;
  /** The validation rows as features in chunks, once a training pass has collected them (else null). */
  validation(): AsyncIterable<Dataset> | null;
  /** Rows shuffled and turned into features at a time: --shuffle-buffer, fewer when a chunk's features would pass FEATURE_CHUNK_BYTES. */
  readonly shuffleBuffer: number;
  /** Reads the file once more if no complete pass has collected the held-out rows yet. */
  collectHeldOut(): Promise<void>;
  /** The test rows as raw model input (after a complete pass or `collectHeldOut`). */
  test(): Dataset;
  release(): Promise<void>;
}

function cellText(c: Cell | undefined): string | null {
  return c === null || c === undefined ? null : typeof c === 'string' ? c : String(c);
}

/** The first pass's findings: the statistics, where the columns sit in a row, and the rows of each part. */
interface FirstPass {
  readonly stats: TabularStats;
  /** The file's column names, from its header. */
  readonly names: readonly string[];
  readonly labelIndex: readonly number[];
  readonly featureIndex: readonly number[];
  /** Rows of train, validation and test. */
  readonly counts: readonly [number, number, number];
}

/** Reads the file once: the columns from its header, then every row's labels and the train rows' features (TabularStats). */
async function firstPass(o: TabularOptions, split: { seed: number; validation: number; test: number }): Promise<FirstPass> {
  let found: Omit<FirstPass, 'counts'> | null = null;
  const counts: [number, number, number] = [0, 0, 0];
  const next = splitter(split.seed, split.validation, split.test);
  for await (const batch of dataFileBatches(o.file)) {
    if (found === null) {
      const table = headerTable(o.file, batch.columns);
      const labels = labelColumns(table, o.label);
      const features = featureColumns(table, labels, o);
      const index = (names: readonly string[]) => names.map((n) => batch.columns.indexOf(n));
      found = {
        stats: new TabularStats(o, { labels, features }),
        names: batch.columns,
        labelIndex: index(labels),
        featureIndex: index(features),
      };
    }
    const { stats, labelIndex, featureIndex } = found;
    for (const row of batch.rows) {
      const where = () => formatLocation({ file: o.file, line: row.line });
      const labelCells = labelIndex.map((i) => cellText(row.cells[i]));
      // Left out before the split draws for it, as every later pass leaves it out.
      if (o.dropMissingLabel && missingLabel(labelCells)) {
        stats.noteDropped(1);
        continue;
      }
      stats.addLabels(labelCells, where);
      const part = next();
      counts[part]!++;
      if (part === TRAIN) stats.addTrainTargets(labelCells.map((c) => Number(c)));
      stats.addFeatures(
        featureIndex.map((i) => cellText(row.cells[i])),
        where,
        part === TRAIN,
      );
    }
  }
  if (found === null) throw new DataError(`${o.file} has no rows`);
  return { ...found, counts };
}

/** --stream reads row formats only: a whole-array file (JSON, IDX, NPY) is an OptionError. */
function checkStreamable(file: string): void {
  const format = dataFileFormat(file);
  if (format === 'json' || format === 'idx' || format === 'npy') {
    throw new OptionError('stream', true, `reads CSV, TSV and JSON Lines; ${file} is ${format}`);
  }
}

/** The held-out rows' accessors: what the passes have collected, and a pass that only collects them. */
function heldOutRows(passes: StreamPasses): Pick<StreamedData, 'validation' | 'collectHeldOut' | 'test'> {
  return {
    validation: () => (passes.held?.validation ? passes.validationChunks() : null),
    collectHeldOut: async () => {
      if (passes.held !== null) return;
      for await (const _ of passes.pass(0, false)) {
        /* collects only */
      }
    },
    test: () => {
      if (!passes.held) throw new Error('the test rows are collected by a complete pass over the data first');
      return passes.held.test;
    },
  };
}

/** Streams `--data` once for the split, the label classes and the preprocessing statistics (train rows only). */
export async function streamTabular(o: TabularOptions, valSplit: number | null, seed: number): Promise<StreamedData> {
  checkStreamable(o.file);
  const validationFraction = valSplit ?? 0;
  const testFraction = o.testSplit ?? 0;
  const first = await firstPass(o, { seed, validation: validationFraction, test: testFraction });
  const plan = first.stats.labelPlan([o.file]);
  const [trainRows, validationRows, testRows] = first.counts;
  const total = trainRows + validationRows + testRows;
  checkSplitCounts({
    file: o.file,
    rows: total,
    validation: validationRows,
    test: testRows,
    valSplit,
    testSplit: o.testSplit,
    valFile: false,
    testFile: false,
  });
  const preprocessing = first.stats.preprocessing();
  const targetScaling = first.stats.targetScaling(plan);

  const graph = await openPreprocessGraph(preprocessing);
  const shuffleBuffer = chunkRows(o.stream!.shuffleBuffer, graph.width);
  const passes = new StreamPasses({
    file: o.file,
    seed,
    validationFraction,
    testFraction,
    shuffleBuffer,
    preprocessing,
    graph,
    featureIndex: first.featureIndex,
    width: plan.width,
    target: (row: SourceRow) => plan.target(first.labelIndex.map((i) => cellText(row.cells[i]))),
    targetScaling,
    skip: o.dropMissingLabel ? (row: SourceRow) => missingLabel(first.labelIndex.map((i) => row.cells[i])) : null,
    nonfinite: o.nonfinite ?? 'error',
  });
  const { labels, features } = first.stats.columns;
  return {
    task: plan.task,
    labels,
    features,
    classNames: plan.classNames,
    preprocessing,
    targetScaling,
    shuffleBuffer,
    droppedRows: first.stats.dropped,
    excluded: excludedColumns(first.names, first.stats.columns, o),
    outputs: plan.outputs,
    description: describeStream(o, {
      plan,
      labels,
      features: features.length,
      seed,
      counts: first.counts,
      dropped: first.stats.dropped,
      shuffleBuffer,
    }),
    notices: [
      ...first.stats.notices(preprocessing),
      ...(shuffleBuffer < o.stream!.shuffleBuffer
        ? [
            `shuffle buffer: ${shuffleBuffer} rows, not ${o.stream!.shuffleBuffer}: a chunk of ${graph.width} features a row is kept under ${FEATURE_CHUNK_BYTES / 2 ** 20} MiB`,
          ]
        : []),
    ],
    rows: { train: trainRows, validation: validationRows, test: testRows },
    chunks: (epoch) => passes.pass(epoch, true),
    ...heldOutRows(passes),
    release: () => graph.release(),
  };
}

/** Bytes of MLP features (float32) one streamed chunk may hold: wide one-hot features shrink the shuffle buffer to fit. */
export const FEATURE_CHUNK_BYTES = 16 * 2 ** 20;

/** The rows of a streamed chunk: the shuffle buffer, or fewer when their features would pass FEATURE_CHUNK_BYTES. */
function chunkRows(shuffleBuffer: number, width: number): number {
  return Math.max(1, Math.min(shuffleBuffer, Math.floor(FEATURE_CHUNK_BYTES / (4 * width))));
}

/** The data line of a streamed run: the file, what is predicted, and the split's counts. */
function describeStream(
  o: TabularOptions,
  d: {
    plan: LabelPlan;
    labels: readonly string[];
    features: number;
    seed: number;
    counts: readonly number[];
    dropped: number;
    shuffleBuffer: number;
  },
): string {
  const [train, validation, test] = d.counts as [number, number, number];
  const dropped = d.dropped > 0 ? `, ${d.dropped} without a label left out` : '';
  return (
    `${o.file} (${train + validation + test + d.dropped} rows${dropped}, streamed), ${describeTask(d.plan, d.labels)}, ${d.features} feature columns: random split with seed ${d.seed}, ` +
    `${train} train${validation > 0 ? ` / ${validation} validation` : ''} / ${test} test, shuffle buffer ${d.shuffleBuffer}`
  );
}
