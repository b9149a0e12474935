// Data readers: pure parsing (no file system), so they run in Node and in browsers alike.
export { DataFormatError, formatLocation } from './errors.js';
export type { DataLocation } from './errors.js';
export { chunksOf, textChunks, collectBytes } from './source.js';
export type { Chunk, ChunkSource } from './source.js';
export { collectTable, tableColumn, cellError, tableRows, rowPlace, textColumns } from './table.js';
export type { Cell, CsvDelimiter, RowBatch, SourceRow, Table, TableColumn, TableFormat } from './table.js';
export { csvBatches, readCsv, detectDelimiter, delimiterForFileName } from './csv.js';
export type { CsvOptions } from './csv.js';
export { jsonBatches, jsonLinesBatches, readJson, readJsonLines } from './json.js';
export type { JsonOptions } from './json.js';
export { tableFromArray, decodeElements, elementCount, formatShape, ND_BYTES } from './ndarray.js';
export type { NdArray, NdData, NdDtype } from './ndarray.js';
export { parseIdx } from './idx.js';
export { parseNpy } from './npy.js';
export { isGzip, gunzipIfNeeded } from './gzip.js';
