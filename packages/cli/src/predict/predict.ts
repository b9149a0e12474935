import { DataFormatError } from '@onnx-mlp/core';
import type { TextFormat } from '../data/readers/index.js';
import { rowBatches, rowGroups } from '../model/data-source.js';
import { featureEncoder, type ColumnHint } from '../model/features.js';
import { runBatch, storedLabelColumns, type InferenceModel } from '../model/inference-model.js';
import type { OutputFormatter } from './output.js';
import type { Sink } from './sink.js';

/** What to predict on. */
export interface PredictOptions {
  /** A data file, or `-` for standard input. */
  readonly data: string;
  readonly format?: TextFormat;
  /** A column to leave out (a model without preprocessing takes every other column). */
  readonly label?: string;
  readonly batchSize: number;
}

/** What a prediction run did. */
export interface PredictSummary {
  readonly rows: number;
  /** False when the reader of the output went away (a closed pipe) before the end. */
  readonly complete: boolean;
}

/** How to tell the user to leave out a label column when the widths are one apart. */
function columnHint(m: InferenceModel, columns: readonly string[], label: string | undefined): ColumnHint {
  if (label !== undefined) return { excluded: [label] };
  if (columns.length !== m.spec.inputs + 1) return { excluded: [] };
  const candidate = [...(storedLabelColumns(m) ?? []), 'label'].find((c) => columns.includes(c));
  return { excluded: [], ...(candidate ? { hint: `; add --label ${candidate} to leave out the label column` } : {}) };
}

/**
 * Streams the rows of `options.data` through the model, `batchSize` rows per run, and writes each
 * batch's predictions to `sink` before reading on: memory stays constant whatever the file's size.
 * A row that cannot be encoded stops the run with a DataFormatError (or core DataError) naming the
 * file, line and column.
 */
export async function predictRows(
  m: InferenceModel,
  options: PredictOptions,
  formatter: OutputFormatter,
  sink: Sink,
): Promise<PredictSummary> {
  const file = options.data === '-' ? 'stdin' : options.data;
  const input = new Float32Array(options.batchSize * m.inputWidth);
  let encoder: ReturnType<typeof featureEncoder> | undefined;
  let rows = 0;
  for await (const group of rowGroups(rowBatches(options.data, options.format, 'predict'), options.batchSize)) {
    if (encoder === undefined) {
      encoder = featureEncoder(m, file, group.columns, columnHint(m, group.columns, options.label));
      if (!(await sink.write(formatter.header()))) return { rows, complete: false };
    }
    const n = group.rows.length;
    for (let i = 0; i < n; i++) encoder.encode(group.rows[i]!, input, i * m.inputWidth);
    const out = await runBatch(m, input, n, { file, firstRow: rows + 1 });
    rows += n;
    if (!(await sink.write(formatter.rows(out)))) return { rows, complete: false };
  }
  if (encoder === undefined) throw new DataFormatError({ file }, 'has no data rows');
  return { rows, complete: true };
}
