import { basename } from 'node:path';
import { DataFormatError, type Table, parseIdx, parseNpy } from '@onnx-mlp/core';
import {
  type NdArray,
  type RowBatch,
  csvBatches,
  collectTable,
  delimiterForFileName,
  jsonBatches,
  jsonLinesBatches,
  tableFromArray,
} from '@onnx-mlp/core/data';
import type { CsvDelimiter } from '@onnx-mlp/core/data';
import { fileChunks, readFileBytes } from './file-chunks.js';

/** Text formats read as tables, row by row. `tsv` is CSV with tab as the delimiter. */
export type TextFormat = 'csv' | 'tsv' | 'json' | 'jsonl';
/** Binary array formats, parsed whole. */
export type ArrayFormat = 'idx' | 'npy';
export type DataFileFormat = TextFormat | ArrayFormat;

export const DATA_FILE_FORMATS: readonly DataFileFormat[] = ['csv', 'tsv', 'json', 'jsonl', 'idx', 'npy'];

/**
 * The format a file name implies (a trailing `.gz` aside): `.csv` and `.txt` csv, `.tsv` and `.tab`
 * tsv, `.json`, `.jsonl` and `.ndjson` jsonl, `.npy`, and IDX for MNIST's names (`*-ubyte`, `*.idx`,
 * `*.idx3`, …). Anything else is a DataFormatError listing the extensions.
 */
export function dataFileFormat(path: string): DataFileFormat {
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|txt)$/.test(name)) return 'csv';
  if (/\.(tsv|tab)$/.test(name)) return 'tsv';
  if (/\.json$/.test(name)) return 'json';
  if (/\.(jsonl|ndjson)$/.test(name)) return 'jsonl';
  if (/\.npy$/.test(name)) return 'npy';
  if (/[-.]ubyte$/.test(name) || /\.idx\d*$/.test(name) || /[-.]idx\d+-/.test(name)) return 'idx';
  throw new DataFormatError(
    { file: path },
    'unknown data format: name the file .csv, .tsv, .json (an array of records), .jsonl (one record per line), .npy, or *-ubyte / .idx for IDX (any of them may end in .gz)',
  );
}

/** How to read a data file: the format, when its name does not say it. */
export interface ReadDataOptions<F extends DataFileFormat = DataFileFormat> {
  readonly format?: F;
}

/**
 * The rows of a text data file (CSV, TSV, JSON array, JSON Lines) as a stream of batches, read from disk
 * in chunks, so a file of any size streams through in constant memory. Gzipped files are decompressed
 * on the way. Every error is a DataFormatError naming `path`, the line and, where one is to blame, the
 * column.
 */
export async function* dataFileBatches(path: string, options: ReadDataOptions<TextFormat> = {}): AsyncGenerator<RowBatch, void, undefined> {
  const format = options.format ?? dataFileFormat(path);
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter: CsvDelimiter | 'auto' = format === 'tsv' ? '\t' : delimiterForFileName(path);
      yield* csvBatches(fileChunks(path), { file: path, delimiter });
      return;
    }
    case 'json':
      yield* jsonBatches(fileChunks(path), { file: path });
      return;
    case 'jsonl':
      yield* jsonLinesBatches(fileChunks(path), { file: path });
      return;
    default:
      throw new DataFormatError({ file: path }, `is ${format as string}, a binary array format; read it with readArrayFile`);
  }
}

/** A binary array file (IDX or NPY, gzipped or not), read whole. */
export async function readArrayFile(path: string, options: ReadDataOptions<ArrayFormat> = {}): Promise<NdArray> {
  const format = options.format ?? dataFileFormat(path);
  if (format !== 'idx' && format !== 'npy') {
    throw new DataFormatError({ file: path }, `is ${format}, a text format; read it with readTableFile`);
  }
  const bytes = await readFileBytes(path);
  return format === 'idx' ? parseIdx(bytes, path) : parseNpy(bytes, path);
}

/**
 * Any data file as a Table: text formats row by row with the line of every row, binary arrays with
 * one row per outer index (`tableFromArray`).
 */
export async function readTableFile(path: string, options: ReadDataOptions = {}): Promise<Table> {
  const format = options.format ?? dataFileFormat(path);
  if (format === 'idx' || format === 'npy') return tableFromArray(await readArrayFile(path, { format }));
  return collectTable(dataFileBatches(path, { format }), path, format === 'tsv' ? 'csv' : format);
}
