import { DataError } from '../errors.js';

/** Where in a data file something is: the file as the user named it, and as much of the place as is known. */
export interface DataLocation {
  /** The file as the user named it (or a label such as `<stdin>`). */
  readonly file: string;
  /** 1-based line in a text file, counting the header as line 1. */
  readonly line?: number;
  /** 1-based row (record, item) in a binary file, where there are no lines. */
  readonly row?: number;
  /** A column by name (`"age"`), or by 1-based position where it has no usable name. */
  readonly column?: string | number;
}

/**
 * A data file that cannot be read as what it claims to be: a ragged CSV row, invalid JSON, a truncated
 * IDX or NPY file. The message names the place first: `data.csv, line 7, column "age": <reason>`.
 */
export class DataFormatError extends DataError implements DataLocation {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
  readonly column?: string | number;

  constructor(
    at: DataLocation,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${formatLocation(at)}: ${reason}`, { code: 'DATA_FORMAT', fields: { ...at, reason } });
    this.name = 'DataFormatError';
    this.file = at.file;
    if (at.line !== undefined) this.line = at.line;
    if (at.row !== undefined) this.row = at.row;
    if (at.column !== undefined) this.column = at.column;
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/** `data.csv, line 7, column "age"`: the parts that are known, in that order. */
export function formatLocation(at: DataLocation): string {
  const parts = [at.file];
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  else if (at.row !== undefined) parts.push(`row ${at.row}`);
  if (typeof at.column === 'string') parts.push(`column ${JSON.stringify(at.column)}`);
  else if (at.column !== undefined) parts.push(`column ${at.column}`);
  return parts.join(', ');
}
