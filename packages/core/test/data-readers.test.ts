// The pure data parsers of @onnx-mlp/core (no file system): CSV/TSV through csv-parse, JSON and JSON
// Lines, IDX and NPY bytes. Inputs are written here byte by byte; every assertion checks real values.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, DataFormatError, type Table, parseIdx, parseNpy, readCsv, readJson, readJsonLines } from '@onnx-mlp/core';
import {
  type Cell,
  type RowBatch,
  csvBatches,
  delimiterForFileName,
  detectDelimiter,
  gunzipIfNeeded,
  isGzip,
  jsonBatches,
  tableColumn,
  tableFromArray,
  tableRows,
  textColumns,
} from '@onnx-mlp/core/data';
import type { ChunkSource } from '@onnx-mlp/core/data';
import { cellError, rowPlace } from '@onnx-mlp/core/internal';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The first DataFormatError `promise` rejects with (fails the test if it resolves or throws anything else). */
async function formatError(promise: Promise<unknown>): Promise<DataFormatError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return e as DataFormatError;
  }
  throw new Error('expected a DataFormatError, nothing was thrown');
}

function syncFormatError(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return e as DataFormatError;
  }
  throw new Error('expected a DataFormatError, nothing was thrown');
}

const names = (t: Table): string[] => t.columns.map((c) => c.name);

/** `bytes` cut into pieces of `size` bytes (so a multi-byte character, a quote or a CRLF can be split). */
function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function allBatches(stream: AsyncIterable<RowBatch>): Promise<RowBatch[]> {
  const out: RowBatch[] = [];
  for await (const b of stream) out.push(b);
  return out;
}

describe('DataFormatError', () => {
  it('is a DataError whose message names file, line and column, and keeps them as fields', () => {
    const e = new DataFormatError({ file: 'data.csv', line: 7, column: 'age' }, 'not a number: "x"');
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('data.csv, line 7, column "age": not a number: "x"');
    expect([e.file, e.line, e.column, e.reason]).toEqual(['data.csv', 7, 'age', 'not a number: "x"']);
    expect(new DataFormatError({ file: 'x.npy', row: 3, column: 2 }, 'bad').message).toBe('x.npy, row 3, column 2: bad');
    expect(new DataFormatError({ file: 'x.idx' }, 'is truncated').message).toBe('x.idx: is truncated');
  });
});

describe('CSV', () => {
  it('reads a header and rows: names in file order, raw string cells, the line of every row', async () => {
    const t = await readCsv('name,age,score\nada,36,1.5\nbob,,007\n', { file: 'people.csv' });
    expect(names(t)).toEqual(['name', 'age', 'score']);
    expect(t.columns.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(t.rowCount).toBe(2);
    expect(t.format).toBe('csv');
    expect(t.delimiter).toBe(',');
    expect(t.file).toBe('people.csv');
    expect(tableRows(t)).toEqual([
      ['ada', '36', '1.5'],
      ['bob', '', '007'],
    ]);
    expect(t.lines).toEqual([2, 3]);
    expect(Array.from(tableColumn(t, 'age').cells)).toEqual(['36', '']);
    expect(() => tableColumn(t, 'height')).toThrow('people.csv, column "height": no such column; the columns are "name", "age", "score"');
  });

  it('BOM, semicolons (detected), quoted fields holding the delimiter, quotes, LF and CRLF line breaks, CRLF line ends, blank lines', async () => {
    const text = '\ufeffid;comment;value\r\n1;"a; b";2,5\r\n2;"two\nlines";3\r\n\r\n3;"say ""hi""\r\nagain";4\r\n4;plain;5';
    const t = await readCsv(utf8(text), { file: 'notes.csv' });
    expect(t.delimiter).toBe(';');
    expect(names(t)).toEqual(['id', 'comment', 'value']); // the BOM is not part of "id"
    expect(tableRows(t)).toEqual([
      ['1', 'a; b', '2,5'],
      ['2', 'two\nlines', '3'],
      ['3', 'say "hi"\r\nagain', '4'],
      ['4', 'plain', '5'],
    ]);
    // Line of each row's start: the quoted line breaks and the blank line 5 count, CRLF once.
    expect(t.lines).toEqual([2, 3, 6, 8]);
  });

  it('TSV: tab by option or by detection; commas inside tab-separated cells stay in the cell', async () => {
    const text = 'city\tpopulation\nParis, FR\t2,1\nLyon\t0,5\n';
    for (const t of [await readCsv(text, { delimiter: '\t' }), await readCsv(text)]) {
      expect(t.delimiter).toBe('\t');
      expect(tableRows(t)).toEqual([
        ['Paris, FR', '2,1'],
        ['Lyon', '0,5'],
      ]);
    }
    expect(delimiterForFileName('data/train.tsv')).toBe('\t');
    expect(delimiterForFileName('train.TAB.gz')).toBe('\t');
    expect(delimiterForFileName('train.csv')).toBe('auto');
  });

  it('detects comma, semicolon or tab from the header line, ignoring quoted ones; a single column is comma', async () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"x,y,z";w')).toBe(';');
    expect(detectDelimiter('"a;b",c\nx;y;z;w')).toBe(',');
    expect(detectDelimiter('label')).toBe(',');
    const single = await readCsv('label\n1\n2\n');
    expect(names(single)).toEqual(['label']);
    expect(tableRows(single)).toEqual([['1'], ['2']]);
    // An explicit delimiter wins over detection.
    expect(tableRows(await readCsv('a;b,c\n1;2,3\n', { delimiter: ',' }))).toEqual([['1;2', '3']]);
  });

  it('a ragged row is an error naming file, line and expected vs found column counts', async () => {
    const short = await formatError(readCsv('a,b,c\n1,2,3\n4,5\n', { file: 'data.csv' }));
    expect(short.message).toBe('data.csv, line 3: expected 3 columns (as in the header), found 2');
    expect([short.file, short.line]).toEqual(['data.csv', 3]);
    const long = await formatError(readCsv('a,b\n"x\r\ny",1\n\n2,3,4\n', { file: 'd.csv' }));
    expect(long.message).toBe('d.csv, line 5: expected 2 columns (as in the header), found 3');
  });

  it('empty file, blank file and header-only file are clear errors', async () => {
    expect((await formatError(readCsv('', { file: 'e.csv' }))).message).toBe('e.csv: is empty: expected a header line and data rows');
    expect((await formatError(readCsv(new Uint8Array(0), { file: 'e.csv' }))).message).toContain('e.csv: is empty');
    expect((await formatError(readCsv('\n\r\n\n', { file: 'b.csv' }))).message).toContain('b.csv: is empty');
    const header = await formatError(readCsv('a,b,c\n', { file: 'h.csv' }));
    expect(header.message).toBe('h.csv, line 2: has a header but no data rows');
  });

  it('header problems and broken quoting name line and column', async () => {
    const blank = await formatError(readCsv('a,,c\n1,2,3\n', { file: 'x.csv' }));
    expect(blank.message).toBe('x.csv, line 1, column 2: the header has an empty column name; every column needs one');
    const twice = await formatError(readCsv('a,b,a\n1,2,3\n', { file: 'x.csv' }));
    expect(twice.message).toBe('x.csv, line 1, column "a": the header names this column twice (columns 1 and 3)');
    const open = await formatError(readCsv('a,b\n1,2\n3,"never closed\n4,5\n', { file: 'q.csv' }));
    expect(open.line).toBe(3);
    expect(open.message).toMatch(/^q\.csv, line 3: a quoted field .* never closed/);
  });

  it('invalid UTF-8 is an error naming the line, not a silent replacement character', async () => {
    const bytes = new Uint8Array([...utf8('a,b\n1,2\n3,'), 0xff, ...utf8('\n')]);
    const e = await formatError(readCsv(bytes, { file: 'latin1.csv' }));
    expect(e.message).toBe('latin1.csv, line 3: is not valid UTF-8 text (save the file as UTF-8)');
  });

  it('streams: 7-byte chunks splitting quotes, CRLFs and UTF-8 characters give the same table, in several batches', async () => {
    const text = 'x;"quoted; name";note\r\n1;"é;\r\nü";"""q"""\r\n2;b;"multi\n\nline"\n3;ç;"a""b"\n4;"";ok\n';
    const whole = await readCsv(text, { file: 's.csv' });
    expect(whole.rowCount).toBe(4);
    expect(tableRows(whole)[0]).toEqual(['1', 'é;\r\nü', '"q"']);
    expect(whole.lines).toEqual([2, 4, 7, 8]);
    const bytes = utf8(text);
    const chunked = await readCsv(pieces(bytes, 7), { file: 's.csv' });
    expect(chunked).toEqual(whole);
    // Row batches come while the input is still arriving, with the same column array in each.
    const batches = await allBatches(csvBatches(pieces(bytes, 7)));
    expect(batches.length).toBeGreaterThan(1);
    expect(new Set(batches.map((b) => b.columns)).size).toBe(1);
    expect(batches.flatMap((b) => b.rows.map((r) => r.cells))).toEqual(tableRows(whole));
    // A Node Readable of string chunks works as a source too.
    const readable = Readable.from(text.match(/[\s\S]{1,7}/g)!, { objectMode: true });
    expect(await readCsv(readable as ChunkSource, { file: 's.csv' })).toEqual(whole);
  });

  it('streams: rows come out before the source is exhausted (a big file never sits in memory whole)', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<string> {
      yield 'a,b\n';
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield `${i},${i * 2}\n`;
      }
    }
    const stream = csvBatches(source());
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect(pulled).toBeLessThan(10);
    let rows = (first.value as RowBatch).rows.length;
    let last: readonly Cell[] = [];
    for await (const batch of stream) {
      rows += batch.rows.length;
      last = batch.rows[batch.rows.length - 1]!.cells;
    }
    expect(rows).toBe(1000);
    expect(last).toEqual(['999', '1998']);
  });
});

describe('JSON (an array of records)', () => {
  it('reads records: keys of the first record are the columns, JSON scalars kept, a missing key is null', async () => {
    const text = '[\n  {"name": "ada", "age": 36, "member": true},\n  {"name": "bob", "member": null},\n  {"age": 7.5, "name": "cy"}\n]\n';
    const t = await readJson(text, { file: 'p.json' });
    expect(names(t)).toEqual(['name', 'age', 'member']);
    expect(t.format).toBe('json');
    expect(tableRows(t)).toEqual([
      ['ada', 36, true],
      ['bob', null, null],
      ['cy', 7.5, null],
    ]);
    expect(t.lines).toEqual([2, 3, 4]);
    expect(textColumns(t)[1]).toEqual({ name: 'age', values: ['36', null, '7.5'] });
    // Streamed in 5-character chunks (splitting strings, escapes and structure) it is the same table.
    const chunked = await readJson(text.match(/[\s\S]{1,5}/g)!, { file: 'p.json' });
    expect(chunked).toEqual(t);
    expect((await allBatches(jsonBatches(text.match(/[\s\S]{1,5}/g)!))).length).toBeGreaterThan(1);
  });

  it('strings holding brackets, commas, quotes and escapes do not confuse the element scanner', async () => {
    const t = await readJson('[{"s": "a],[{\\"b\\\\", "n": -1e3}, {"s": "}", "n": 0}]');
    expect(tableRows(t)).toEqual([
      ['a],[{"b\\', -1000],
      ['}', 0],
    ]);
  });

  it('errors name the line: a key not in the first record, invalid JSON, a non-object, a nested value', async () => {
    const extra = await formatError(readJson('[\n{"a": 1},\n{"a": 2, "b": 3}\n]', { file: 'd.json' }));
    expect(extra.message).toBe(
      'd.json, line 3, column "b": this key is not in the first record, whose keys are the columns (add it there, even as null)',
    );
    expect([extra.line, extra.column]).toEqual([3, 'b']);
    const invalid = await formatError(readJson('[\n{"a": 1},\n{"a": }\n]', { file: 'd.json' }));
    expect(invalid.line).toBe(3);
    expect(invalid.message).toMatch(/^d\.json, line 3: invalid JSON: /);
    const number = await formatError(readJson('[\n{"a": 1},\n\n 5\n]', { file: 'd.json' }));
    expect(number.message).toBe('d.json, line 4: expected a JSON object (one record), found a number (5)');
    const nested = await formatError(readJson('[{"a": 1},\n{"a": [1, 2]}]', { file: 'd.json' }));
    expect(nested.message).toBe('d.json, line 2, column "a": expected a string, number, boolean or null, found an array');
  });

  it('not an array, an empty array, a trailing comma, an unclosed array, an empty file', async () => {
    expect((await formatError(readJson('{"a": 1}', { file: 'o.json' }))).message).toContain(
      'o.json, line 1: expected a JSON array of records',
    );
    expect((await formatError(readJson(' [ ] ', { file: 'o.json' }))).message).toBe('o.json: has no records: the array is empty');
    expect((await formatError(readJson('[{"a": 1},\n]', { file: 'o.json' }))).message).toBe(
      'o.json, line 2: invalid JSON: expected a record after ",", found "]"',
    );
    expect((await formatError(readJson('[{"a": 1},\n{"a": 2}', { file: 'o.json' }))).message).toContain(
      'o.json, line 2: invalid JSON: the file ends before',
    );
    expect((await formatError(readJson('[{"a": 1}] x', { file: 'o.json' }))).message).toContain(
      'o.json, line 1: invalid JSON: expected nothing after',
    );
    expect((await formatError(readJson('', { file: 'o.json' }))).message).toBe('o.json: is empty: expected a JSON array of records');
  });
});

describe('JSON Lines', () => {
  it('reads one object per line; blank lines are skipped but counted; CRLF line ends', async () => {
    const t = await readJsonLines('{"x": 1, "y": "a"}\r\n\r\n{"y": "b"}\r\n{"x": 3, "y": null}', { file: 'r.jsonl' });
    expect(names(t)).toEqual(['x', 'y']);
    expect(t.format).toBe('jsonl');
    expect(tableRows(t)).toEqual([
      [1, 'a'],
      [null, 'b'],
      [3, null],
    ]);
    expect(t.lines).toEqual([1, 3, 4]);
    expect(
      await readJsonLines(pieces(utf8('{"x": 1, "y": "a"}\r\n\r\n{"y": "b"}\r\n{"x": 3, "y": null}'), 3), { file: 'r.jsonl' }),
    ).toEqual(t);
  });

  it('invalid JSON, a non-object line, a new key: errors with the line', async () => {
    const invalid = await formatError(readJsonLines('{"a": 1}\n{"a": 2}\n\n{"a": tru}\n', { file: 'e.jsonl' }));
    expect(invalid.line).toBe(4);
    expect(invalid.message).toMatch(/^e\.jsonl, line 4: invalid JSON: /);
    const array = await formatError(readJsonLines('{"a": 1}\n[1]\n', { file: 'e.jsonl' }));
    expect(array.message).toBe('e.jsonl, line 2: expected a JSON object (one record), found an array');
    const key = await formatError(readJsonLines('{"a": 1}\n{"b": 1}\n', { file: 'e.jsonl' }));
    expect(key.message).toContain('e.jsonl, line 2, column "b": this key is not in the first record');
    expect((await formatError(readJsonLines('\n  \n', { file: 'e.jsonl' }))).message).toBe(
      'e.jsonl: has no records: expected one JSON object per line',
    );
    expect((await formatError(readJsonLines('{}\n', { file: 'e.jsonl' }))).message).toBe(
      'e.jsonl, line 1: the first record has no keys, so there are no columns',
    );
  });
});

/** An IDX file: magic (0, 0, type code, rank), big-endian dims, big-endian elements. */
function idxBytes(
  code: number,
  shape: number[],
  values: number[],
  write: (v: DataView, at: number, x: number) => void,
  size: number,
): Uint8Array {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out.set([0, 0, code, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((x, i) => write(view, header + i * size, x));
  return out;
}

describe('IDX', () => {
  const pixels = Array.from({ length: 2 * 2 * 3 }, (_, i) => (i * 23) % 256);
  const images = idxBytes(0x08, [2, 2, 3], pixels, (v, at, x) => v.setUint8(at, x), 1);

  it('uint8 images round trip: shape, dtype, values; as a table one row per image', () => {
    const a = parseIdx(images, 'train-images-idx3-ubyte');
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data as Uint8Array)).toEqual(pixels);
    const t = tableFromArray(a);
    expect(names(t)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(t.rowCount).toBe(2);
    expect(t.columns[5]!.cells).toBeInstanceOf(Uint8Array); // stays bytes
    expect(tableRows(t)).toEqual([pixels.slice(0, 6), pixels.slice(6)]);
    expect(cellError(t, 1, '5', 'not a label').message).toBe('train-images-idx3-ubyte, row 2, column "5": not a label');
  });

  it('reads from a view at any offset (a subarray, a pooled Node Buffer) and copies the elements out', () => {
    const shifted = new Uint8Array(images.length + 5);
    shifted.set(images, 5);
    const f32 = idxBytes(0x0d, [2], [1.5, -2], (v, at, x) => v.setFloat32(at, x, false), 4);
    const pooled = Buffer.from(f32);
    for (const [bytes, expected] of [
      [shifted.subarray(5), pixels],
      [pooled, [1.5, -2]],
    ] as const) {
      const a = parseIdx(bytes, 'v');
      expect(Array.from(a.data as ArrayLike<number>)).toEqual(expected);
      expect(a.data.byteOffset).toBe(0);
      expect(a.data.buffer.byteLength).toBe(a.data.byteLength);
    }
  });

  it('big-endian int16, int32, float32 and float64 become native values', () => {
    const i16 = parseIdx(
      idxBytes(0x0b, [3], [-2, 300, 32767], (v, at, x) => v.setInt16(at, x, false), 2),
      'a',
    );
    expect([i16.dtype, Array.from(i16.data as Int16Array)]).toEqual(['int16', [-2, 300, 32767]]);
    const i32 = parseIdx(
      idxBytes(0x0c, [2], [-70000, 5], (v, at, x) => v.setInt32(at, x, false), 4),
      'a',
    );
    expect(Array.from(i32.data as Int32Array)).toEqual([-70000, 5]);
    const f32 = parseIdx(
      idxBytes(0x0d, [1, 2], [0.5, -3.25], (v, at, x) => v.setFloat32(at, x, false), 4),
      'a',
    );
    expect([f32.dtype, f32.shape, Array.from(f32.data as Float32Array)]).toEqual(['float32', [1, 2], [0.5, -3.25]]);
    const f64 = parseIdx(
      idxBytes(0x0e, [2], [Math.PI, -1e-300], (v, at, x) => v.setFloat64(at, x, false), 8),
      'a',
    );
    expect(Array.from(f64.data as Float64Array)).toEqual([Math.PI, -1e-300]);
    const labels = tableFromArray(
      parseIdx(
        idxBytes(0x08, [3], [7, 2, 1], (v, at, x) => v.setUint8(at, x), 1),
        'l',
      ),
    );
    expect(names(labels)).toEqual(['value']);
    expect(Array.from(labels.columns[0]!.cells)).toEqual([7, 2, 1]);
  });

  it('gzipped: detected by the magic 1f 8b and decompressed (DecompressionStream) to the same array', async () => {
    const gz = gzipSync(images);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(images)).toBe(false);
    expect(syncFormatError(() => parseIdx(gz, 'x.gz')).message).toContain('x.gz: is gzip-compressed');
    expect(parseIdx(await gunzipIfNeeded(gz, 'x.gz'), 'x.gz').data).toEqual(parseIdx(images, 'x').data);
    expect(await gunzipIfNeeded(images, 'x')).toBe(images);
    const cut = await formatError(gunzipIfNeeded(gz.subarray(0, gz.length - 12), 'cut.gz'));
    expect(cut.message).toMatch(/^cut\.gz: is not a valid gzip file/);
  });

  it('truncated, too long, or not IDX at all: errors naming the file and the problem', () => {
    const mnistHeader = idxBytes(0x08, [60000, 28, 28], [], () => {}, 1);
    const truncated = new Uint8Array(mnistHeader.length + 1000);
    truncated.set(mnistHeader);
    expect(syncFormatError(() => parseIdx(truncated, 'train-images-idx3-ubyte')).message).toBe(
      'train-images-idx3-ubyte: is truncated: expected 47040000 bytes of data for shape (60000, 28, 28) uint8, found 1000',
    );
    expect(syncFormatError(() => parseIdx(images.subarray(0, 10), 'a')).message).toBe(
      'a: is truncated: its header needs 16 bytes for 3 dimensions, the file has 10',
    );
    const long = new Uint8Array(images.length + 3);
    long.set(images);
    expect(syncFormatError(() => parseIdx(long, 'a')).message).toContain('a: has 3 bytes after the data: expected 12 bytes');
    expect(syncFormatError(() => parseIdx(new Uint8Array([0, 0]), 'a')).message).toContain('too short for an IDX file');
    expect(syncFormatError(() => parseIdx(utf8('a,b\n1,2\n'), 'a')).message).toContain('a: is not an IDX file: it starts 0x61 0x2c');
    expect(syncFormatError(() => parseIdx(new Uint8Array([0, 0, 0x07, 1, 0, 0, 0, 0]), 'a')).message).toContain(
      'unknown IDX type code 0x07',
    );
  });
});

/** An NPY file: magic, version, little-endian header length, the dict padded to 64 bytes, the data. */
function npyBytes(descr: string, shape: number[], data: Uint8Array, options: { fortran?: boolean; major?: number } = {}): Uint8Array {
  const major = options.major ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${options.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = 8 + (major === 1 ? 2 : 4);
  dict += `${' '.repeat(63 - ((prefix + dict.length) % 64))}\n`;
  const out = new Uint8Array(prefix + dict.length + data.length);
  out.set([0x93, ...utf8('NUMPY'), major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  out.set(utf8(dict), prefix);
  out.set(data, prefix + dict.length);
  expect((prefix + dict.length) % 64).toBe(0);
  return out;
}

const le = (array: Float32Array | Float64Array | BigInt64Array | Int32Array): Uint8Array => new Uint8Array(array.buffer);

describe('NPY', () => {
  it('<f4, <f8, <i8, |u1, <i4 round trip (shape, dtype, values), version 1.0 and 2.0 headers', () => {
    const f4 = parseNpy(npyBytes('<f4', [2, 3], le(Float32Array.of(1, -2.5, 3, 0.125, 5, 6))), 'x.npy');
    expect([f4.dtype, f4.shape]).toEqual(['float32', [2, 3]]);
    expect(Array.from(f4.data as Float32Array)).toEqual([1, -2.5, 3, 0.125, 5, 6]);
    const f8 = parseNpy(npyBytes('<f8', [3], le(Float64Array.of(Math.E, -0, 1e300)), { major: 2 }), 'x.npy');
    expect([f8.dtype, f8.shape, Array.from(f8.data as Float64Array)]).toEqual(['float64', [3], [Math.E, -0, 1e300]]);
    const i8 = parseNpy(npyBytes('<i8', [2, 2], le(BigInt64Array.of(-1n, 2n ** 40n, 0n, 9007199254740993n))), 'x.npy');
    expect(i8.dtype).toBe('int64');
    expect(Array.from(i8.data as BigInt64Array)).toEqual([-1n, 2n ** 40n, 0n, 9007199254740993n]);
    const u1 = parseNpy(npyBytes('|u1', [4], Uint8Array.of(0, 1, 128, 255)), 'x.npy');
    expect([u1.dtype, Array.from(u1.data as Uint8Array)]).toEqual(['uint8', [0, 1, 128, 255]]);
    const i4 = parseNpy(npyBytes('<i4', [2], le(Int32Array.of(-7, 2147483647))), 'x.npy');
    expect(Array.from(i4.data as Int32Array)).toEqual([-7, 2147483647]);
    const scalar = parseNpy(npyBytes('<f8', [], le(Float64Array.of(42))), 's.npy');
    expect([scalar.shape, Array.from(scalar.data as Float64Array)]).toEqual([[], [42]]);
  });

  it('big-endian >f8 and >i4 are byte-swapped to native values', () => {
    const be = new Uint8Array(16);
    new DataView(be.buffer).setFloat64(0, 1.5, false);
    new DataView(be.buffer).setFloat64(8, -1e-10, false);
    expect(Array.from(parseNpy(npyBytes('>f8', [2], be), 'b.npy').data as Float64Array)).toEqual([1.5, -1e-10]);
    const bi = new Uint8Array(8);
    new DataView(bi.buffer).setInt32(0, -5, false);
    new DataView(bi.buffer).setInt32(4, 65536, false);
    expect(Array.from(parseNpy(npyBytes('>i4', [2], bi), 'b.npy').data as Int32Array)).toEqual([-5, 65536]);
  });

  it('as a table: one row per outer index; int64 becomes double, and one a double cannot hold is refused', () => {
    const t = tableFromArray(parseNpy(npyBytes('<i8', [2, 2], le(BigInt64Array.of(1n, 2n, 3n, -4n))), 'x.npy'));
    expect(tableRows(t)).toEqual([
      [1, 2],
      [3, -4],
    ]);
    expect(rowPlace(t, 1)).toBe('x.npy, row 2');
    const big = parseNpy(npyBytes('<i8', [2, 2], le(BigInt64Array.of(-1n, 2n ** 40n, 0n, 9007199254740993n))), 'x.npy');
    expect(syncFormatError(() => tableFromArray(big)).message).toBe(
      'x.npy, row 2, column "1": 9007199254740993 does not fit a double exactly',
    );
  });

  it('fortran_order True is refused with a clear error', () => {
    const e = syncFormatError(() => parseNpy(npyBytes('<f4', [2, 2], le(Float32Array.of(1, 2, 3, 4)), { fortran: true }), 'f.npy'));
    expect(e.message).toContain('f.npy: is stored in Fortran order (fortran_order: True)');
    expect(e.message).toContain('np.ascontiguousarray');
  });

  it('truncated data, truncated header, unsupported dtypes, not NPY: errors naming the file and the problem', () => {
    const full = npyBytes('<f4', [100, 3], le(new Float32Array(300)));
    expect(syncFormatError(() => parseNpy(full.subarray(0, full.length - 200), 'x.npy')).message).toBe(
      'x.npy: is truncated: expected 1200 bytes of data for shape (100, 3) <f4, found 1000',
    );
    expect(syncFormatError(() => parseNpy(full.subarray(0, 40), 'x.npy')).message).toContain(
      'x.npy: is truncated: the NPY header says it is 118 bytes',
    );
    expect(syncFormatError(() => parseNpy(full.subarray(0, 5), 'x.npy')).message).toBe(
      'x.npy: is truncated: 5 bytes, an NPY header needs at least 10',
    );
    expect(syncFormatError(() => parseNpy(npyBytes('<U5', [1], new Uint8Array(20)), 'x.npy')).message).toContain('x.npy: has dtype "<U5"');
    expect(syncFormatError(() => parseNpy(npyBytes('<f2', [1], new Uint8Array(2)), 'x.npy')).message).toContain('has dtype "<f2"');
    expect(syncFormatError(() => parseNpy(utf8('hello world, no numpy'), 'x.npy')).message).toContain('x.npy: is not an NPY file');
    const tooLong = new Uint8Array(full.length + 4);
    tooLong.set(full);
    expect(syncFormatError(() => parseNpy(tooLong, 'x.npy')).message).toContain('x.npy: has 4 bytes after the data');
  });
});
