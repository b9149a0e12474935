// Data files on disk: the file-system edge of core's pure parsers (packages/core/src/data).
export { fileChunks, readFileBytes } from './file-chunks.js';
export { fileDigest, recordFileBytes } from './file-digests.js';
export type { FileDigest } from './file-digests.js';
export {
  DATA_FILE_FORMATS,
  dataFileBatches,
  dataFileFormat,
  readArrayFile,
  readTableFile,
} from './read-data-file.js';
export type { ArrayFormat, DataFileFormat, ReadDataOptions, TextFormat } from './read-data-file.js';
