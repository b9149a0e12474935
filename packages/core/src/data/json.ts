import { DataFormatError } from './errors.js';
import { ChunkSource, textChunks } from './source.js';
import { Cell, RowBatch, SourceRow, Table, collectTable } from './table.js';

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

/** Scanner state of `jsonBatches`: where in `[ value , value ]` the text is. */
type Phase = 'before' | 'open' | 'value' | 'comma' | 'after';

/**
 * Streams a JSON file holding one array of records (`[{"a": 1}, {"a": 2}]`) as row batches, one per
 * chunk, never holding more than one record's text: a small scanner finds where each element starts
 * (its line) and ends, and each element is parsed alone. Errors name the line.
 */
export async function* jsonBatches(source: ChunkSource, options: JsonOptions = {}): AsyncGenerator<RowBatch, void, undefined> {
  const file = options.file ?? '<json>';
  const records = new RecordRows(file);
  let phase: Phase = 'before';
  let line = 1;
  let element = '';
  let elementLine = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  const unexpected = (ch: string, expected: string): never => {
    throw new DataFormatError({ file, line }, `invalid JSON: expected ${expected}, found ${JSON.stringify(ch)}`);
  };
  const finish = (rows: SourceRow[]): void => {
    rows.push(records.row(parseJson(element, file, elementLine), elementLine));
    element = '';
  };
  const scan = (text: string): SourceRow[] => {
    const rows: SourceRow[] = [];
    let from = 0; // start of the part of `text` that belongs to the current element
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (phase === 'value') {
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === '\\') escaped = true;
          else if (ch === '"') inString = false;
          else if (ch === '\n') line++;
          continue;
        }
        if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if ((ch === '}' || ch === ']') && depth > 0) depth--;
        else if (ch === '\n') line++;
        else if (depth === 0 && (ch === ',' || ch === ']')) {
          element += text.slice(from, i);
          finish(rows);
          phase = ch === ',' ? 'comma' : 'after';
        }
        continue;
      }
      if (ch === '\n') {
        line++;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r') continue;
      switch (phase) {
        case 'before':
          if (ch !== '[') {
            const hint = ch === '{' ? ' (for one object per line, use JSON Lines: a .jsonl file)' : '';
            throw new DataFormatError({ file, line }, `expected a JSON array of records ("["), found ${JSON.stringify(ch)}${hint}`);
          }
          phase = 'open';
          break;
        case 'open':
        case 'comma':
          if (ch === ']') {
            if (phase === 'comma') unexpected(ch, 'a record after ","');
            phase = 'after';
            break;
          }
          phase = 'value';
          elementLine = line;
          from = i;
          depth = 0;
          i--; // scan this character as part of the value
          break;
        case 'after':
          unexpected(ch, 'nothing after the closing "]"');
      }
    }
    if (phase === 'value') element += text.slice(from);
    return rows;
  };
  for await (const chunk of textChunks(source, file)) {
    const rows = scan(chunk);
    if (rows.length > 0) yield { columns: records.columns!, rows };
  }
  if (phase === 'before') throw new DataFormatError({ file }, 'is empty: expected a JSON array of records');
  if (phase !== 'after') throw new DataFormatError({ file, line }, 'invalid JSON: the file ends before the array\'s closing "]"');
  if (records.rowCount === 0) throw new DataFormatError({ file }, 'has no records: the array is empty');
}

/** Reads a whole JSON array of records into a Table. */
export function readJson(source: ChunkSource, options: JsonOptions = {}): Promise<Table> {
  return collectTable(jsonBatches(source, options), options.file ?? '<json>', 'json');
}

/** Reads a whole JSON Lines file into a Table. */
export function readJsonLines(source: ChunkSource, options: JsonOptions = {}): Promise<Table> {
  return collectTable(jsonLinesBatches(source, options), options.file ?? '<jsonl>', 'jsonl');
}
