import { CsvError, Parser } from '#csv-parse';
import { DataFormatError } from './errors.js';
import { ChunkSource, textChunks } from './source.js';
import { Cell, CsvDelimiter, RowBatch, SourceRow, Table, collectTable } from './table.js';

/** How to read a CSV file. */
export interface CsvOptions {
  /** The file as the user named it, for messages. @defaultValue '<csv>' */
  readonly file?: string;
  /** The field delimiter, or `auto` to detect comma, semicolon or tab from the header line. @defaultValue 'auto' */
  readonly delimiter?: CsvDelimiter | 'auto';
}

const EMPTY = 'is empty: expected a header line and data rows';
const CANDIDATES: readonly CsvDelimiter[] = [',', '\t', ';'];
/** How much of a header line detection looks at when no line break comes sooner. */
const DETECTION_LIMIT = 1 << 20;

/** The delimiter a file name implies: tab for `.tsv` and `.tab` (also gzipped), else `auto`. */
export function delimiterForFileName(name: string): CsvDelimiter | 'auto' {
  return /\.(tsv|tab)(\.gz)?$/i.test(name) ? '\t' : 'auto';
}

/**
 * The delimiter of a CSV header line: whichever of comma, tab and semicolon occurs most often outside
 * double quotes (ties, and a line with none of them, a single column, go to comma, then tab).
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as CsvDelimiter)) counts.set(ch as CsvDelimiter, counts.get(ch as CsvDelimiter)! + 1);
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
  }
  let best: CsvDelimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Index just past the first line break outside double quotes in `text`, or -1 when there is none yet. */
function headerEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) quoted = !quoted;
    else if (!quoted && (ch === 0x0a || ch === 0x0d)) return i + 1;
  }
  return -1;
}

/** Number of line breaks in `text`, a CRLF counting once. */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) n++;
    else if (ch === 0x0d && text.charCodeAt(i + 1) !== 0x0a) n++;
  }
  return n;
}

/**
 * Streams a CSV file as row batches, one per chunk of input (or fewer): `csv-parse` does the parsing,
 * so quoted fields may hold delimiters, quotes (`""`) and line breaks, and chunks may split anything.
 * The first record is the header. Every data row must have as many fields as the header; a ragged one
 * is a DataFormatError naming the file, the line it starts on and both counts. Empty lines are skipped
 * (in a one-column file, so is an empty value: csv-parse gives both as one empty field);
 * LF, CRLF and CR line ends are all accepted. A file with no header, or a header and no rows, is an
 * error. Cells are the raw field text.
 */
export async function* csvBatches(source: ChunkSource, options: CsvOptions = {}): AsyncGenerator<RowBatch, void, undefined> {
  const file = options.file ?? '<csv>';
  const text = textChunks(source, file);
  // The header line decides the delimiter: gather text until it is complete.
  let pending = '';
  let done = false;
  while (options.delimiter === undefined || options.delimiter === 'auto') {
    if (headerEnd(pending) !== -1 || pending.length > DETECTION_LIMIT) break;
    const next = await text.next();
    if (next.done) {
      done = true;
      break;
    }
    pending += next.value;
  }
  const delimiter = options.delimiter === undefined || options.delimiter === 'auto' ? detectDelimiter(pending) : options.delimiter;

  const parser = new Parser({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // Empty lines come through as one empty field and are skipped below, so that every line break is
    // accounted for: line numbers are counted here (csv-parse's own `info` costs 2.5x the parse time).
    skip_empty_lines: false,
    bom: true,
  });
  const parsed: string[][] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  parser.on('data', (r: string[]) => parsed.push(r));
  parser.on('error', (e: unknown) => {
    failure ??= e;
    signal();
  });
  parser.on('end', () => {
    ended = true;
    signal();
  });
  let needDrain = false;
  parser.on('drain', () => {
    needDrain = false;
    signal();
  });

  let columns: string[] | undefined;
  let rowCount = 0;
  let wrote = false;
  // The line the next record starts on: each record ends with one line break, plus those inside it.
  let nextLine = 1;
  let headerLine = 1;
  const toRows = (): SourceRow[] => {
    const rows: SourceRow[] = [];
    for (const record of parsed.splice(0)) {
      const line = nextLine;
      nextLine++;
      for (const field of record) {
        if (field.includes('\n') || field.includes('\r')) nextLine += lineBreaks(field);
      }
      if (record.length === 1 && record[0] === '') continue; // an empty line
      if (columns === undefined) {
        headerLine = line;
        columns = checkHeader(record, file, line);
        continue;
      }
      if (record.length !== columns.length) {
        throw new DataFormatError(
          { file, line },
          `expected ${columns.length} columns (as in the header), found ${record.length}`,
        );
      }
      rows.push({ line, cells: record as Cell[] });
    }
    rowCount += rows.length;
    return rows;
  };
  const fail = (e: unknown): never => {
    toRows(); // the rows before the failure: an earlier ragged row is reported first, and `nextLine` is exact
    throw csvFailure(e, file, nextLine, columns);
  };
  const wait = (): Promise<void> => new Promise<void>((resolve) => {
    wake = resolve;
  });

  try {
    const write = async (chunk: string): Promise<void> => {
      if (failure !== undefined) fail(failure);
      wrote = true;
      if (!parser.write(chunk)) {
        needDrain = true;
        while (needDrain && failure === undefined) await wait();
      }
    };
    if (pending.length > 0) await write(pending);
    pending = '';
    let rows = toRows();
    if (rows.length > 0) yield { columns: columns!, rows, delimiter };
    if (!done) {
      for await (const chunk of text) {
        await write(chunk);
        rows = toRows();
        if (rows.length > 0) yield { columns: columns!, rows, delimiter };
      }
    }
    if (failure !== undefined) fail(failure);
    if (!wrote) throw new DataFormatError({ file }, EMPTY);
    parser.end();
    while (!ended && failure === undefined) await wait();
    if (failure !== undefined) fail(failure);
    rows = toRows();
    if (rows.length > 0) yield { columns: columns!, rows, delimiter };
    if (columns === undefined) throw new DataFormatError({ file }, EMPTY);
    if (rowCount === 0) throw new DataFormatError({ file, line: headerLine + 1 }, 'has a header but no data rows');
  } finally {
    parser.destroy?.();
    await text.return(undefined);
  }
}

/** Reads a whole CSV source into a Table (see `csvBatches` for what is accepted). */
export function readCsv(source: ChunkSource, options: CsvOptions = {}): Promise<Table> {
  return collectTable(csvBatches(source, options), options.file ?? '<csv>', 'csv');
}

function checkHeader(record: readonly string[], file: string, line: number): string[] {
  const seen = new Map<string, number>();
  record.forEach((name, i) => {
    if (name.trim() === '') {
      throw new DataFormatError({ file, line, column: i + 1 }, 'the header has an empty column name; every column needs one');
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataFormatError({ file, line, column: name }, `the header names this column twice (columns ${before} and ${i + 1})`);
    }
    seen.set(name, i + 1);
  });
  return [...record];
}

/** A csv-parse error (or ours) as a DataFormatError naming the file, the line and the column. */
function csvFailure(
  e: unknown, file: string, line: number, columns: readonly string[] | undefined,
): Error {
  if (e instanceof DataFormatError) return e;
  if (e instanceof CsvError) {
    const details = e as CsvError & { index?: number };
    const reason = e.message.replace(/\s*at line \d+/, '');
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new DataFormatError(
        { file, line },
        'a quoted field opened in this row is never closed (a missing closing double quote?)', { cause: e },
      );
    }
    const index = details.index;
    const column = typeof index === 'number' ? columns?.[index] ?? index + 1 : undefined;
    return new DataFormatError({ file, line, ...(column === undefined ? {} : { column }) }, reason, { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}
