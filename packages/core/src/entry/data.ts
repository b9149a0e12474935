// @onnx-mlp/core/data: file-format readers without file-system access (CSV/TSV, JSON, JSON Lines,
// IDX, NPY), whole or as row batches, so they run in Node and in browsers alike.
export { DataFormatError } from '../data/errors.js';
export { chunksOf, textChunks, collectBytes } from '../data/source.js';
export type { Chunk, ChunkSource } from '../data/source.js';
export { collectTable, tableColumn, tableRows, textColumns } from '../data/table.js';
export type { Cell, CsvDelimiter, RowBatch, SourceRow, Table, TableColumn, TableFormat } from '../data/table.js';
export { csvBatches, readCsv, detectDelimiter, delimiterForFileName } from '../data/csv.js';
export type { CsvOptions } from '../data/csv.js';
export { jsonBatches, jsonLinesBatches, readJson, readJsonLines } from '../data/json.js';
export type { JsonOptions } from '../data/json.js';
export { tableFromArray } from '../data/ndarray.js';
export type { NdArray, NdData, NdDtype } from '../data/ndarray.js';
export { parseIdx } from '../data/idx.js';
export { parseNpy } from '../data/npy.js';
export { isGzip, gunzipIfNeeded } from '../data/gzip.js';
