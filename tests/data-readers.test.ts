// The file-system edge of the data readers (packages/cli/src/data/readers): small files written to a
// temp folder, read back through streams (gzip detected by its magic number), values checked.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError, DataFormatError, type Table } from '@onnx-mlp/core';
import { tableRows } from '@onnx-mlp/core/data';
import { dataFileBatches, dataFileFormat, fileChunks, readArrayFile, readTableFile } from '../packages/cli/src/data/readers/index.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

async function put(name: string, contents: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, contents);
  return path;
}

async function formatError(promise: Promise<unknown>): Promise<DataFormatError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    expect(e).toBeInstanceOf(DataError); // so the CLI reports it in one line and exits 1
    return e as DataFormatError;
  }
  throw new Error('expected a DataFormatError, nothing was thrown');
}

const names = (t: Table): string[] => t.columns.map((c) => c.name);

describe('text files', () => {
  it('CSV: column names, raw values, row count and lines', async () => {
    const path = await put('iris.csv', 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n6.3,3.3,virginica\n');
    const t = await readTableFile(path);
    expect(t.file).toBe(path);
    expect(names(t)).toEqual(['sepal_length', 'sepal_width', 'species']);
    expect(t.rowCount).toBe(3);
    expect(tableRows(t)).toEqual([
      ['5.1', '3.5', 'setosa'],
      ['7.0', '3.2', 'versicolor'],
      ['6.3', '3.3', 'virginica'],
    ]);
    expect(t.lines).toEqual([2, 3, 4]);
  });

  it('CSV with a BOM, semicolons (detected), a quoted newline and CRLF line ends', async () => {
    const path = await put(
      'eu.csv',
      new Uint8Array([
        0xef,
        0xbb,
        0xbf,
        ...new TextEncoder().encode('name;price;note\r\nWürst;2,50;"line one\r\nline two"\r\nBrot;1,20;"a;b"\r\n'),
      ]),
    );
    const t = await readTableFile(path);
    expect(t.delimiter).toBe(';');
    expect(names(t)).toEqual(['name', 'price', 'note']);
    expect(tableRows(t)).toEqual([
      ['Würst', '2,50', 'line one\r\nline two'],
      ['Brot', '1,20', 'a;b'],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('TSV by extension: tab even where commas are more frequent', async () => {
    const path = await put('cities.tsv', 'name\tcoords\nParis\t48.85,2.35,35\nLyon\t45.76,4.83,173\n');
    const t = await readTableFile(path);
    expect(t.delimiter).toBe('\t');
    expect(tableRows(t)).toEqual([
      ['Paris', '48.85,2.35,35'],
      ['Lyon', '45.76,4.83,173'],
    ]);
  });

  it('a ragged row names the file, the line and expected vs found counts', async () => {
    const path = await put('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n');
    const e = await formatError(readTableFile(path));
    expect(e.message).toBe(`${path}, line 4: expected 3 columns (as in the header), found 2`);
    expect([e.file, e.line]).toEqual([path, 4]);
  });

  it('empty and header-only files are clear errors', async () => {
    const empty = await put('empty.csv', '');
    expect((await formatError(readTableFile(empty))).message).toBe(`${empty}: is empty: expected a header line and data rows`);
    const header = await put('header.csv', 'a,b\n');
    expect((await formatError(readTableFile(header))).message).toBe(`${header}, line 2: has a header but no data rows`);
  });

  it('JSON array and JSON Lines: values, missing keys as null; errors name the line', async () => {
    const json = await put('r.json', '[\n {"x": 1.5, "label": "cat"},\n {"label": "dog"}\n]\n');
    const tj = await readTableFile(json);
    expect([tj.format, names(tj), tableRows(tj), tj.lines]).toEqual([
      'json',
      ['x', 'label'],
      [
        [1.5, 'cat'],
        [null, 'dog'],
      ],
      [2, 3],
    ]);
    const jsonl = await put('r.jsonl', '{"x": 1.5, "label": "cat"}\n{"label": "dog"}\n');
    const tl = await readTableFile(jsonl);
    expect([tl.format, names(tl), tableRows(tl), tl.lines]).toEqual([
      'jsonl',
      ['x', 'label'],
      [
        [1.5, 'cat'],
        [null, 'dog'],
      ],
      [1, 2],
    ]);
    const bad = await put('bad.jsonl', '{"x": 1}\n{"x": 2}\n{"x": 3,}\n');
    const e = await formatError(readTableFile(bad));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 3: invalid JSON: `));
    const newKey = await put('bad.json', '[{"x": 1},\n {"x": 2, "y": 3}]');
    expect((await formatError(readTableFile(newKey))).message).toContain(
      `${newKey}, line 2, column "y": this key is not in the first record`,
    );
  });

  it('gzipped CSV (any name; detected by the magic 1f 8b) reads the same as plain', async () => {
    const text = 'a,b\n1,"x\ny"\n2,z\n';
    const plain = await readTableFile(await put('d.csv', text));
    const zipped = await readTableFile(await put('d.csv.gz', gzipSync(text)));
    expect(tableRows(zipped)).toEqual(tableRows(plain));
    expect(zipped.lines).toEqual(plain.lines);
  });

  it('streams a file bigger than one read chunk in several batches, without losing or repeating a row', async () => {
    const rows = 80_000; // about 2.4 MB: more than two 1 MiB reads
    const lines = ['id,value,text'];
    for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.5).toFixed(1)},"row ${i}, ""quoted"""`);
    const path = await put('big.csv', `${lines.join('\n')}\n`);
    let batches = 0;
    let seen = 0;
    let wrong = 0;
    for await (const batch of dataFileBatches(path)) {
      batches++;
      for (const row of batch.rows) {
        if (row.cells[0] !== String(seen) || row.line !== seen + 2 || row.cells[2] !== `row ${seen}, "quoted"`) wrong++;
        seen++;
      }
    }
    expect(seen).toBe(rows);
    expect(wrong).toBe(0);
    expect(batches).toBeGreaterThan(1);
    const gz = await put('big.csv.gz', gzipSync(`${lines.join('\n')}\n`));
    let zippedRows = 0;
    for await (const batch of dataFileBatches(gz)) zippedRows += batch.rows.length;
    expect(zippedRows).toBe(rows);
  });
});

/** IDX bytes: 0, 0, type code, rank; big-endian dims; big-endian data. */
function idx(code: number, shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  out.set([0, 0, code, shape.length]);
  shape.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/** NPY version 1.0 bytes for a little-endian/byte array. */
function npy(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  dict += `${' '.repeat(63 - ((10 + dict.length) % 64))}\n`;
  const out = new Uint8Array(10 + dict.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  out.set(data, 10 + dict.length);
  return out;
}

describe('binary files', () => {
  const pixels = Uint8Array.from({ length: 3 * 4 * 4 }, (_, i) => (i * 37) % 256);

  it('IDX images and labels, plain and gzipped: shape, dtype, values', async () => {
    const plain = await put('train-images-idx3-ubyte', idx(0x08, [3, 4, 4], pixels));
    const zipped = await put('train-images-idx3-ubyte.gz', gzipSync(idx(0x08, [3, 4, 4], pixels)));
    for (const path of [plain, zipped]) {
      const a = await readArrayFile(path);
      expect([a.file, a.dtype, a.shape]).toEqual([path, 'uint8', [3, 4, 4]]);
      expect(Array.from(a.data as Uint8Array)).toEqual(Array.from(pixels));
    }
    const labels = await readTableFile(await put('train-labels-idx1-ubyte', idx(0x08, [3], Uint8Array.of(5, 0, 4))));
    expect([names(labels), tableRows(labels)]).toEqual([['value'], [[5], [0], [4]]]);
    const images = await readTableFile(plain);
    expect([images.format, images.rowCount, images.columns.length]).toEqual(['array', 3, 16]);
    expect(tableRows(images)[2]).toEqual(Array.from(pixels.subarray(32)));
  });

  it('truncated IDX (plain or inside gzip) and a cut-off gzip stream: errors naming the file and the problem', async () => {
    const bytes = idx(0x08, [3, 4, 4], pixels).subarray(0, 30);
    const plain = await put('t10k-images-idx3-ubyte', bytes);
    expect((await formatError(readArrayFile(plain))).message).toBe(
      `${plain}: is truncated: expected 48 bytes of data for shape (3, 4, 4) uint8, found 14`,
    );
    const zipped = await put('t10k-images-idx3-ubyte.gz', gzipSync(bytes));
    expect((await formatError(readArrayFile(zipped))).message).toContain(`${zipped}: is truncated: expected 48 bytes`);
    const gz = gzipSync(idx(0x08, [3, 4, 4], pixels));
    const cut = await put('cut-idx3-ubyte.gz', gz.subarray(0, gz.length - 10));
    expect((await formatError(readArrayFile(cut))).message).toMatch(
      new RegExp(`^${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a valid gzip file`),
    );
  });

  it('NPY float32 round trip; Fortran order and truncated data refused', async () => {
    const values = Float32Array.of(0.25, -1, 3.5, 1e-7, 8, 9);
    const path = await put('x.npy', npy('<f4', [3, 2], new Uint8Array(values.buffer)));
    const a = await readArrayFile(path);
    expect([a.dtype, a.shape, Array.from(a.data as Float32Array)]).toEqual(['float32', [3, 2], Array.from(values)]);
    const t = await readTableFile(path);
    expect([names(t), t.rowCount]).toEqual([['0', '1'], 3]);
    const fortran = await put('f.npy', npy('<f4', [3, 2], new Uint8Array(values.buffer), true));
    expect((await formatError(readArrayFile(fortran))).message).toContain(`${fortran}: is stored in Fortran order`);
    const full = npy('<f4', [3, 2], new Uint8Array(values.buffer));
    const short = await put('short.npy', full.subarray(0, full.length - 5));
    expect((await formatError(readArrayFile(short))).message).toBe(
      `${short}: is truncated: expected 24 bytes of data for shape (3, 2) <f4, found 19`,
    );
  });
});

describe('file names and file errors', () => {
  it('format from the name (a trailing .gz aside); unknown names are an error listing the formats', () => {
    expect(
      [
        'a.csv',
        'a.TXT',
        'a.tsv',
        'a.tab.gz',
        'a.json',
        'a.jsonl',
        'a.ndjson.gz',
        'a.npy',
        'train-images-idx3-ubyte',
        'train-labels-idx1-ubyte.gz',
        'digits.idx3',
        'x.idx',
      ].map(dataFileFormat),
    ).toEqual(['csv', 'csv', 'tsv', 'tsv', 'json', 'jsonl', 'jsonl', 'npy', 'idx', 'idx', 'idx', 'idx']);
    expect(() => dataFileFormat('model.onnx')).toThrow(/model\.onnx: unknown data format: name the file \.csv, \.tsv/);
  });

  it('a missing file or a folder is a DataFormatError naming the path', async () => {
    const missing = join(dir, 'nope.csv');
    expect((await formatError(readTableFile(missing))).message).toBe(`${missing}: cannot be read: no such file`);
    const folder = join(dir, 'folder.csv');
    await mkdir(folder);
    expect((await formatError(readTableFile(folder))).message).toBe(`${folder}: cannot be read: is a folder, not a file`);
  });

  it('fileChunks yields the raw bytes of a plain file and the decompressed bytes of a gzipped one', async () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    const collect = async (path: string): Promise<number[]> => {
      const out: number[] = [];
      for await (const c of fileChunks(path)) out.push(...c);
      return out;
    };
    expect(await collect(await put('raw.bin', bytes))).toEqual(Array.from(bytes));
    expect(await collect(await put('raw.bin.gz', gzipSync(bytes)))).toEqual(Array.from(bytes));
    expect(await collect(await put('zero.bin', new Uint8Array(0)))).toEqual([]);
  });
});
