import { DataError, type Table } from '@onnx-mlp/core';
import {
  collectTable,
  csvBatches,
  delimiterForFileName,
  jsonBatches,
  jsonLinesBatches,
  type Cell,
  type ChunkSource,
} from '@onnx-mlp/core/data';
import { WebTrainError } from '../errors.js';
import type { ArrayData, TrainOptions } from './options.js';

type TextFormat = NonNullable<TrainOptions['format']>;

/** The name errors give the data: a File's name, else `data`. */
export function dataName(data: TrainOptions['data'], given?: string): string {
  if (given !== undefined && given !== '') return given;
  const name = typeof Blob !== 'undefined' && data instanceof Blob ? (data as Blob & { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : 'data';
}

/** The format a file name implies, as the CLI reads it, or undefined when the name says nothing. */
function formatOfName(name: string): TextFormat | undefined {
  const lower = name.toLowerCase();
  if (/\.(csv|txt)$/.test(lower)) return 'csv';
  if (/\.(tsv|tab)$/.test(lower)) return 'tsv';
  if (/\.json$/.test(lower)) return 'json';
  if (/\.(jsonl|ndjson)$/.test(lower)) return 'jsonl';
  return undefined;
}

/** The format of text whose name says nothing: JSON when it starts with `[`, JSON Lines with `{`, else CSV. */
function formatOfText(head: string): TextFormat {
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '[' ? 'json' : first === '{' ? 'jsonl' : 'csv';
}

function readText(source: ChunkSource, format: TextFormat, file: string): Promise<Table> {
  switch (format) {
    case 'csv':
    case 'tsv':
      return collectTable(csvBatches(source, { file, delimiter: format === 'tsv' ? '\t' : delimiterForFileName(file) }), file, 'csv');
    case 'json':
      return collectTable(jsonBatches(source, { file }), file, 'json');
    case 'jsonl':
      return collectTable(jsonLinesBatches(source, { file }), file, 'jsonl');
  }
}

function cellOf(value: unknown, row: number, column: string): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  throw new WebTrainError(
    'bad-data',
    `data row ${row + 1}, column ${JSON.stringify(column)}: a ${typeof value} is not a cell (give strings, numbers, booleans or null)`,
  );
}

/** Rows given as arrays, as a Table (rows numbered from 1 in messages). */
function arrayTable(data: ArrayData, file: string): Table {
  const { columns, rows } = data;
  if (!Array.isArray(columns) || !Array.isArray(rows) || columns.some((c) => typeof c !== 'string')) {
    throw new WebTrainError('bad-data', 'data as arrays needs { columns: string[], rows: unknown[][] }');
  }
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== columns.length) {
      throw new WebTrainError(
        'bad-data',
        `${file}, row ${i + 1}: has ${Array.isArray(r) ? r.length : 0} cells, the columns are ${columns.length}`,
      );
    }
  });
  return {
    file,
    format: 'json',
    columns: columns.map((name, index) => ({ name, index, cells: rows.map((r, i) => cellOf(r[index], i, name)) })),
    rowCount: rows.length,
  };
}

/**
 * The training data as a Table, read with core's readers (the CLI's): CSV/TSV/JSON/JSON Lines text or
 * a Blob/File of it (format from `format`, the File's name, or the text), or arrays. A bad row is a
 * WebTrainError 'bad-data' whose message names the line and column, as the CLI's does.
 */
export async function readTrainingTable(data: TrainOptions['data'], format: TrainOptions['format'], name?: string): Promise<Table> {
  const isBlob = typeof Blob !== 'undefined' && data instanceof Blob;
  if (typeof data !== 'string' && !isBlob) return arrayTable(data as ArrayData, dataName(data, name));
  const file = dataName(data, name);
  const source: string | Uint8Array = typeof data === 'string' ? data : new Uint8Array(await (data as Blob).arrayBuffer());
  const chosen =
    format ??
    formatOfName(file) ??
    formatOfText(typeof source === 'string' ? source.slice(0, 64) : new TextDecoder().decode(source.subarray(0, 64)));
  try {
    return await readText(source, chosen, file);
  } catch (e) {
    if (e instanceof DataError) throw new WebTrainError('bad-data', e.message, { cause: e });
    throw e;
  }
}
