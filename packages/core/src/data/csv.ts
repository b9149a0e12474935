import { CsvError } from '#csv-parse';
import { CsvRecordFeed } from './csv-record-feed.js';
import { DataFormatError } from './errors.js';
import { type ChunkSource, textChunks } from './source.js';
import { type Cell, type CsvDelimiter, type RowBatch, type SourceRow, type Table, collectTable } from './table.js';

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
  const { head, done, delimiter } = await readHeaderText(text, options.delimiter);
  const feed = new CsvRecordFeed(delimiter);
  const reader = new CsvRowReader(file);
  try {
    let wrote = false;
    for await (const chunk of textAfterHeader(head, done, text)) {
      reader.throwIfFailed(feed);
      wrote = true;
      await feed.write(chunk);
      const rows = reader.take(feed.records);
      if (rows.length > 0) yield { columns: reader.columns!, rows, delimiter };
    }
    reader.throwIfFailed(feed);
    if (!wrote) throw new DataFormatError({ file }, EMPTY);
    await feed.end();
    reader.throwIfFailed(feed);
    const rows = reader.take(feed.records);
    if (rows.length > 0) yield { columns: reader.columns!, rows, delimiter };
    reader.checkComplete();
  } finally {
    feed.destroy();
    await text.return(undefined);
  }
}

/** The start of a file's text, read far enough to choose the delimiter. */
interface HeaderText {
  /** The text read so far: the whole header line (unless over DETECTION_LIMIT) and perhaps more. */
  readonly head: string;
  /** Whether `head` is all of the file. */
  readonly done: boolean;
  readonly delimiter: CsvDelimiter;
}

/** Gathers `text` until its header line is complete and detects the delimiter, unless one is given. */
async function readHeaderText(
  text: AsyncIterator<string, void, undefined>,
  delimiter: CsvDelimiter | 'auto' | undefined,
): Promise<HeaderText> {
  if (delimiter !== undefined && delimiter !== 'auto') return { head: '', done: false, delimiter };
  let head = '';
  while (headerEnd(head) === -1 && head.length <= DETECTION_LIMIT) {
    const next = await text.next();
    if (next.done) return { head, done: true, delimiter: detectDelimiter(head) };
    head += next.value;
  }
  return { head, done: false, delimiter: detectDelimiter(head) };
}

/** The text already read for delimiter detection, then the rest of the file. */
async function* textAfterHeader(head: string, done: boolean, text: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  if (head.length > 0) yield head;
  if (!done) yield* text;
}

/**
 * Turns parsed records into data rows: the first non-empty record is the header, every later one must
 * have as many fields. Counts lines as it goes, since each record ends with one line break, plus those
 * inside its fields.
 */
class CsvRowReader {
  columns: string[] | undefined;
  rowCount = 0;
  /** The line the next record starts on. */
  private nextLine = 1;
  private headerLine = 1;

  constructor(private readonly file: string) {}

  /** The data rows among `records` (which it empties), header and empty lines left out. */
  take(records: string[][]): SourceRow[] {
    const rows: SourceRow[] = [];
    for (const record of records.splice(0)) {
      const line = this.nextLine;
      this.nextLine++;
      for (const field of record) {
        if (field.includes('\n') || field.includes('\r')) this.nextLine += lineBreaks(field);
      }
      if (record.length === 1 && record[0] === '') continue; // an empty line
      if (this.columns === undefined) {
        this.headerLine = line;
        this.columns = checkHeader(record, this.file, line);
        continue;
      }
      if (record.length !== this.columns.length) {
        throw new DataFormatError(
          { file: this.file, line },
          `expected ${this.columns.length} columns (as in the header), found ${record.length}`,
        );
      }
      rows.push({ line, cells: record as Cell[] });
    }
    this.rowCount += rows.length;
    return rows;
  }

  /** Throws the feed's parse error, if it has one, placed after the records parsed before it. */
  throwIfFailed(feed: CsvRecordFeed): void {
    if (feed.failure === undefined) return;
    this.take(feed.records); // an earlier ragged row is reported first, and `nextLine` is exact
    throw csvFailure(feed.failure, this.file, this.nextLine, this.columns);
  }

  /** Throws when the whole file held no header, or a header and no data rows. */
  checkComplete(): void {
    if (this.columns === undefined) throw new DataFormatError({ file: this.file }, EMPTY);
    if (this.rowCount === 0) throw new DataFormatError({ file: this.file, line: this.headerLine + 1 }, 'has a header but no data rows');
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
function csvFailure(e: unknown, file: string, line: number, columns: readonly string[] | undefined): Error {
  if (e instanceof DataFormatError) return e;
  if (e instanceof CsvError) {
    const details = e as CsvError & { index?: number };
    const reason = e.message.replace(/\s*at line \d+/, '');
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new DataFormatError({ file, line }, 'a quoted field opened in this row is never closed (a missing closing double quote?)', {
        cause: e,
      });
    }
    const index = details.index;
    const column = typeof index === 'number' ? (columns?.[index] ?? index + 1) : undefined;
    return new DataFormatError({ file, line, ...(column === undefined ? {} : { column }) }, reason, { cause: e });
  }
  return e instanceof Error ? e : new Error(String(e));
}
