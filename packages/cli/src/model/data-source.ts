import { DataFormatError } from '@onnx-mlp/core';
import { csvBatches, jsonBatches, jsonLinesBatches, type RowBatch, type SourceRow } from '@onnx-mlp/core/data';
import { dataFileBatches, dataFileFormat, type TextFormat } from '../data/readers/index.js';

/** The text formats evaluate and predict read. */
export const TEXT_FORMATS: readonly TextFormat[] = ['csv', 'tsv', 'json', 'jsonl'];

/** How errors name standard input. */
export const STDIN_NAME = 'stdin';

/**
 * The rows of `path` (`-` for standard input) as they stream in: CSV, TSV, a JSON array of records or
 * JSON Lines, by `format` or else the file name (standard input: `format`, default csv). Binary array
 * formats (IDX, NPY) are refused with a DataFormatError naming the file.
 */
export function rowBatches(path: string, format: TextFormat | undefined, command: string): AsyncGenerator<RowBatch, void, undefined> {
  if (path === '-') {
    const source = process.stdin as AsyncIterable<Uint8Array>;
    switch (format ?? 'csv') {
      case 'csv':
        return csvBatches(source, { file: STDIN_NAME, delimiter: 'auto' });
      case 'tsv':
        return csvBatches(source, { file: STDIN_NAME, delimiter: '\t' });
      case 'json':
        return jsonBatches(source, { file: STDIN_NAME });
      case 'jsonl':
        return jsonLinesBatches(source, { file: STDIN_NAME });
    }
  }
  const detected = format ?? dataFileFormat(path);
  if (!(TEXT_FORMATS as readonly string[]).includes(detected)) {
    throw new DataFormatError(
      { file: path },
      `is ${detected}, a binary array format; ${command} reads CSV, TSV, JSON or JSON Lines files (one row per record)`,
    );
  }
  return dataFileBatches(path, { format: detected as TextFormat });
}

/** One group of rows of a stream, at most `size` of them, with the file's column names. */
export interface RowGroup {
  readonly columns: readonly string[];
  readonly rows: readonly SourceRow[];
}

/**
 * Regroups a stream of row batches (whose sizes follow the file's chunks) into groups of exactly
 * `size` rows (the last one smaller), holding no more than one group and one batch at a time.
 */
export async function* rowGroups(batches: AsyncIterable<RowBatch>, size: number): AsyncGenerator<RowGroup, void, undefined> {
  let columns: readonly string[] | undefined;
  let pending: SourceRow[] = [];
  for await (const batch of batches) {
    columns ??= batch.columns;
    for (const row of batch.rows) {
      pending.push(row);
      if (pending.length === size) {
        yield { columns, rows: pending };
        pending = [];
      }
    }
  }
  if (columns !== undefined && pending.length > 0) yield { columns, rows: pending };
}
