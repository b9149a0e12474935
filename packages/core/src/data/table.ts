import type { TextColumn } from '../preprocess/infer.js';
import { DataFormatError, formatLocation } from './errors.js';

/**
 * One cell as the file holds it, nothing converted: CSV cells are the raw text (`""` stays `""`, `"007"`
 * stays `"007"`); JSON cells keep the JSON scalar (`null`, and a key a record lacks, are `null`); cells
 * from binary arrays (IDX, NPY) are numbers.
 */
export type Cell = string | number | boolean | null;

/** The format a table was read from. `array` is an IDX or NPY array turned into columns. */
export type TableFormat = 'csv' | 'json' | 'jsonl' | 'array';

/** The delimiters CSV detection chooses between: comma, semicolon, tab. */
export type CsvDelimiter = ',' | ';' | '\t';

/** One column: its name as in the header (or first record), its position, and one cell per row. */
export interface TableColumn {
  readonly name: string;
  /** 0-based position in the file. */
  readonly index: number;
  /** One cell per row: an array for text formats, a typed array for binary ones. */
  readonly cells: ArrayLike<Cell>;
}

/** A table read from a file: columns by name in file order, and where each row came from. */
export interface Table {
  /** The file as the user named it; every error about a cell names it. */
  readonly file: string;
  readonly format: TableFormat;
  /** The delimiter a CSV file was read with (given, or detected). */
  readonly delimiter?: CsvDelimiter;
  readonly columns: readonly TableColumn[];
  readonly rowCount: number;
  /** The 1-based line each row starts on (the header is line 1); absent for binary formats. */
  readonly lines?: readonly number[];
}

/** One data row as read: the line it starts on and its cells in column order. */
export interface SourceRow {
  readonly line: number;
  readonly cells: readonly Cell[];
}

/**
 * A slice of a text table as it streams in: the column names (the same array in every batch of one
 * file) and the rows parsed so far from the last chunk. Readers yield no batch with zero rows.
 */
export interface RowBatch {
  readonly columns: readonly string[];
  readonly rows: readonly SourceRow[];
  /** The delimiter a CSV stream is read with. */
  readonly delimiter?: CsvDelimiter;
}

/** Gathers a stream of row batches (from `csvBatches`, `jsonBatches`, `jsonLinesBatches`) into a Table. */
export async function collectTable(batches: AsyncIterable<RowBatch>, file: string, format: Exclude<TableFormat, 'array'>): Promise<Table> {
  let names: readonly string[] | undefined;
  let cells: Cell[][] = [];
  let delimiter: CsvDelimiter | undefined;
  const lines: number[] = [];
  for await (const batch of batches) {
    if (names === undefined) {
      names = batch.columns;
      cells = names.map(() => []);
      delimiter = batch.delimiter;
    }
    for (const row of batch.rows) {
      lines.push(row.line);
      for (let c = 0; c < cells.length; c++) cells[c]!.push(row.cells[c] ?? null);
    }
  }
  if (names === undefined) throw new DataFormatError({ file }, 'has no data rows');
  const columns = names.map((name, index): TableColumn => ({ name, index, cells: cells[index]! }));
  return { file, format, ...(delimiter === undefined ? {} : { delimiter }), columns, rowCount: lines.length, lines };
}

/** The column named `name`, or a DataFormatError naming the file and the columns it does have. */
export function tableColumn(table: Table, name: string): TableColumn {
  const found = table.columns.find((c) => c.name === name);
  if (found) return found;
  const have = table.columns
    .slice(0, 20)
    .map((c) => JSON.stringify(c.name))
    .join(', ');
  const more = table.columns.length > 20 ? `, … (${table.columns.length} in all)` : '';
  throw new DataFormatError({ file: table.file, column: name }, `no such column; the columns are ${have}${more}`);
}

/**
 * A DataFormatError about one cell, for whoever interprets cells later (schema inference, encoding):
 * `data.csv, line 7, column "age": <reason>`, or `row 7` for binary formats. `row` is 0-based.
 */
export function cellError(table: Table, row: number, column: string, reason: string): DataFormatError {
  const line = table.lines?.[row];
  return new DataFormatError(line === undefined ? { file: table.file, row: row + 1, column } : { file: table.file, line, column }, reason);
}

/** The rows of a table as cell arrays in column order (small tables and tests; big ones stay columnar). */
export function tableRows(table: Table): Cell[][] {
  return Array.from({ length: table.rowCount }, (_, r) => table.columns.map((c) => c.cells[r]!));
}

/** Where row `row` (0-based) of `table` came from, as messages say it: `data.csv, line 7` or `x.npy, row 8`. */
export function rowPlace(table: Table, row: number): string {
  const line = table.lines?.[row];
  return formatLocation(line === undefined ? { file: table.file, row: row + 1 } : { file: table.file, line });
}

/**
 * The columns as text, the shape schema inference (`inferKind`, `columnValues`) reads: strings as they
 * are, numbers and booleans as their JSON text, `null` (missing) as `null`.
 */
export function textColumns(table: Table): TextColumn[] {
  return table.columns.map((column) => {
    const values = new Array<string | null>(table.rowCount);
    for (let r = 0; r < table.rowCount; r++) {
      const v = column.cells[r];
      values[r] = v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
    }
    return { name: column.name, values };
  });
}
