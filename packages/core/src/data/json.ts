import { DataFormatError } from './errors.js';
import { type ChunkSource, textChunks } from './source.js';
import { type Cell, type RowBatch, type SourceRow, type Table, collectTable } from './table.js';

/** How to read a JSON or JSON Lines file. */
export interface JsonOptions {
  /** The file as the user named it, for messages. @defaultValue '<json>' (readJson), '<jsonl>' (readJsonLines) */
  readonly file?: string;
}

/**
 * Turns records (parsed JSON values with the line each starts on) into rows. The first record's keys,
 * in its order, are the columns. A later record may lack a key (its cell is `null`, a missing value)
 * but may not bring a key the first record does not have. Values must be JSON scalars.
 */
class RecordRows {
  columns: string[] | undefined;
  private index = new Map<string, number>();
  rowCount = 0;

  constructor(private readonly file: string) {}

  row(value: unknown, line: number): SourceRow {
    const { file } = this;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataFormatError({ file, line }, `expected a JSON object (one record), found ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    if (this.columns === undefined) {
      const keys = Object.keys(record);
      if (keys.length === 0) throw new DataFormatError({ file, line }, 'the first record has no keys, so there are no columns');
      this.columns = keys;
      keys.forEach((k, i) => this.index.set(k, i));
    }
    const cells: Cell[] = new Array<Cell>(this.columns.length).fill(null);
    for (const key of Object.keys(record)) {
      const at = this.index.get(key);
      if (at === undefined) {
        throw new DataFormatError(
          { file, line, column: key },
          'this key is not in the first record, whose keys are the columns (add it there, even as null)',
        );
      }
      const v = record[key];
      if (v !== null && typeof v === 'object') {
        throw new DataFormatError({ file, line, column: key }, `expected a string, number, boolean or null, found ${describe(v)}`);
      }
      cells[at] = v as Cell;
    }
    this.rowCount++;
    return { line, cells };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `${typeof value === 'number' ? 'a number' : 'a boolean'} (${String(value)})`;
}

/** JSON.parse, with a syntax error turned into a DataFormatError at the right line of `text`. */
function parseJson(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message);
    let at = line;
    if (position) {
      const end = Number(position[1]);
      for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) at++;
    }
    const reason = (e as Error).message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    const where = !position && text.includes('\n') ? ' (in the record that starts on this line)' : '';
    throw new DataFormatError({ file, line: at }, `invalid JSON: ${reason}${where}`, { cause: e });
  }
}

/**
 * Streams a JSON Lines file (one JSON object per line) as row batches, one per chunk. Blank lines are
 * skipped. Invalid JSON, or a line that is not an object, is a DataFormatError naming the line.
 */
export async function* jsonLinesBatches(source: ChunkSource, options: JsonOptions = {}): AsyncGenerator<RowBatch, void, undefined> {
  const file = options.file ?? '<jsonl>';
  const records = new RecordRows(file);
  let carry = '';
  let line = 0;
  const take = (text: string, final: boolean): SourceRow[] => {
    const rows: SourceRow[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? text.length : nl;
      line++;
      const body = text.slice(start, end).trim();
      if (body.length > 0) rows.push(records.row(parseJson(body, file, line), line));
      if (nl === -1) {
        start = text.length;
        break;
      }
      start = nl + 1;
    }
    carry = text.slice(start);
    return rows;
  };
  for await (const chunk of textChunks(source, file)) {
    if (!chunk.includes('\n')) {
      carry += chunk; // a long line: keep gathering it without rescanning
      continue;
    }
    const rows = take(carry + chunk, false);
    if (rows.length > 0) yield { columns: records.columns!, rows };
  }
  const rows = carry.length > 0 ? take(carry, true) : [];
  if (rows.length > 0) yield { columns: records.columns!, rows };
  if (records.rowCount === 0) throw new DataFormatError({ file }, 'has no records: expected one JSON object per line');
}

/**
 * Streams a JSON file holding one array of records (`[{"a": 1}, {"a": 2}]`) as row batches, one per
 * chunk, never holding more than one record's text: a small scanner finds where each element starts
 * (its line) and ends, and each element is parsed alone. Errors name the line.
 */
export async function* jsonBatches(source: ChunkSource, options: JsonOptions = {}): AsyncGenerator<RowBatch, void, undefined> {
  const file = options.file ?? '<json>';
  const records = new RecordRows(file);
  const scanner = new JsonArrayScanner(file, records);
  for await (const chunk of textChunks(source, file)) {
    const rows = scanner.scan(chunk);
    if (rows.length > 0) yield { columns: records.columns!, rows };
  }
  scanner.checkEnd();
}

/** Scanner state of `jsonBatches`: where in `[ value , value ]` the text is. */
type Phase = 'before' | 'open' | 'value' | 'comma' | 'after';

/**
 * Finds the elements of one JSON array as its text arrives in chunks: tracks strings and nesting
 * only as far as needed to see where an element ends, and hands each whole element to `RecordRows`.
 */
class JsonArrayScanner {
  private phase: Phase = 'before';
  private line = 1;
  /** The text of the current element gathered from earlier chunks. */
  private element = '';
  private elementLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(
    private readonly file: string,
    private readonly records: RecordRows,
  ) {}

  /** The rows of the elements that end in `text`; the rest of an unfinished element is kept. */
  scan(text: string): SourceRow[] {
    const rows: SourceRow[] = [];
    let from = 0; // start of the part of `text` that belongs to the current element
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.phase === 'value') {
        if (this.endsValue(ch)) {
          this.element += text.slice(from, i);
          rows.push(this.finishElement());
          this.phase = ch === ',' ? 'comma' : 'after';
        }
      } else if (this.startsValue(ch)) {
        from = i;
        i--; // scan this character as part of the value
      }
    }
    if (this.phase === 'value') this.element += text.slice(from);
    return rows;
  }

  /** Throws unless the text seen so far was a whole array with at least one record. */
  checkEnd(): void {
    const { file, line } = this;
    if (this.phase === 'before') throw new DataFormatError({ file }, 'is empty: expected a JSON array of records');
    if (this.phase !== 'after') throw new DataFormatError({ file, line }, 'invalid JSON: the file ends before the array\'s closing "]"');
    if (this.records.rowCount === 0) throw new DataFormatError({ file }, 'has no records: the array is empty');
  }

  /** Steps over `ch` inside an element; true when it is the `,` or `]` that ends the element. */
  private endsValue(ch: string): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (ch === '\\') this.escaped = true;
      else if (ch === '"') this.inString = false;
      else if (ch === '\n') this.line++;
      return false;
    }
    if (ch === '"') this.inString = true;
    else if (ch === '{' || ch === '[') this.depth++;
    else if ((ch === '}' || ch === ']') && this.depth > 0) this.depth--;
    else if (ch === '\n') this.line++;
    else return this.depth === 0 && (ch === ',' || ch === ']');
    return false;
  }

  /** Steps over `ch` outside the elements; true when it is the first character of an element. */
  private startsValue(ch: string): boolean {
    const { file, line } = this;
    if (ch === '\n') {
      this.line++;
      return false;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') return false;
    switch (this.phase) {
      case 'before':
        if (ch !== '[') {
          const hint = ch === '{' ? ' (for one object per line, use JSON Lines: a .jsonl file)' : '';
          throw new DataFormatError({ file, line }, `expected a JSON array of records ("["), found ${JSON.stringify(ch)}${hint}`);
        }
        this.phase = 'open';
        return false;
      case 'open':
      case 'comma':
        if (ch === ']') {
          if (this.phase === 'comma') this.unexpected(ch, 'a record after ","');
          this.phase = 'after';
          return false;
        }
        this.phase = 'value';
        this.elementLine = line;
        this.depth = 0;
        return true;
      default:
        return this.unexpected(ch, 'nothing after the closing "]"');
    }
  }

  /** The row of the element gathered in `element`, which it clears. */
  private finishElement(): SourceRow {
    const row = this.records.row(parseJson(this.element, this.file, this.elementLine), this.elementLine);
    this.element = '';
    return row;
  }

  private unexpected(ch: string, expected: string): never {
    throw new DataFormatError({ file: this.file, line: this.line }, `invalid JSON: expected ${expected}, found ${JSON.stringify(ch)}`);
  }
}

/** Reads a whole JSON array of records into a Table. */
export function readJson(source: ChunkSource, options: JsonOptions = {}): Promise<Table> {
  return collectTable(jsonBatches(source, options), options.file ?? '<json>', 'json');
}

/** Reads a whole JSON Lines file into a Table. */
export function readJsonLines(source: ChunkSource, options: JsonOptions = {}): Promise<Table> {
  return collectTable(jsonLinesBatches(source, options), options.file ?? '<jsonl>', 'jsonl');
}
