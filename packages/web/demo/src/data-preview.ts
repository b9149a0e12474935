/** The records of a data file as the page shows them: column names and raw string/JSON values. */
export interface DataPreview {
  readonly columns: readonly string[];
  readonly records: readonly Record<string, unknown>[];
}

/** Splits delimited text into rows of fields; quotes may hold delimiters, newlines and "" escapes. */
function delimitedRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

function jsonRecords(text: string, lines: boolean): Record<string, unknown>[] {
  const parsed: unknown = lines
    ? text
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown)
    : JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('a JSON data file holds an array of records');
  return parsed as Record<string, unknown>[];
}

/**
 * Reads a data file's columns and records for the page (label choice, "try a row"). Training does
 * not use this: the package reads the file itself and reports bad rows by line and column.
 */
export function previewData(text: string, fileName: string): DataPreview {
  const trimmed = text.trimStart();
  if (/\.jsonl$/i.test(fileName) || (trimmed.startsWith('{') && !/\.json$/i.test(fileName))) {
    const records = jsonRecords(text, true);
    return { columns: Object.keys(records[0] ?? {}), records };
  }
  if (/\.json$/i.test(fileName) || trimmed.startsWith('[')) {
    const records = jsonRecords(text, false);
    return { columns: Object.keys(records[0] ?? {}), records };
  }
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter =
    /\.tsv$/i.test(fileName) || firstLine.includes('\t') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const [header = [], ...rows] = delimitedRows(text, delimiter);
  const records = rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
  return { columns: header, records };
}

/** Columns whose every value differs and is not a number: identifiers, useless as inputs. */
export function identifierColumns(preview: DataPreview): string[] {
  return preview.columns.filter((name) => {
    const values = preview.records.map((r) => r[name]);
    return (
      values.length > 1 &&
      new Set(values).size === values.length &&
      values.some((v) => typeof v === 'string' && v !== '' && Number.isNaN(Number(v)))
    );
  });
}
