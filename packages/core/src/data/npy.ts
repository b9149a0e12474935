import { DataFormatError } from './errors.js';
import { isGzip } from './gzip.js';
import { ND_BYTES, type NdArray, type NdDtype, decodeElements, elementCount, formatShape } from './ndarray.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy type characters + sizes this reader takes (`descr` without its byte-order character). */
const NPY_TYPES: ReadonlyMap<string, NdDtype> = new Map([
  ['b1', 'bool'],
  ['u1', 'uint8'],
  ['i1', 'int8'],
  ['i2', 'int16'],
  ['u2', 'uint16'],
  ['i4', 'int32'],
  ['u4', 'uint32'],
  ['i8', 'int64'],
  ['u8', 'uint64'],
  ['f4', 'float32'],
  ['f8', 'float64'],
]);

/**
 * Parses a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, the version,
 * the header length (uint16 in 1.0, uint32 after), a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, then the elements. Types: bool, u1,
 * i1, i2, u2, i4, u4, i8, u8, f4, f8 in either byte order (`<`, `>`, `|`, `=`). Fortran order, other
 * types (objects, strings, structured records, float16), and data shorter or longer than the shape
 * says, are DataFormatErrors naming the file and the problem.
 */
export function parseNpy(bytes: Uint8Array, file: string): NdArray {
  const fail = (reason: string): never => {
    throw new DataFormatError({ file }, reason);
  };
  const { header, dataStart } = readHeader(bytes, fail);
  const { descr, order, dtype, shape } = parseHeader(header, fail);
  const count = elementCount(shape);
  const expected = count * ND_BYTES[dtype];
  const found = bytes.length - dataStart;
  const what = `for shape ${formatShape(shape)} ${descr}`;
  if (found < expected) fail(`is truncated: expected ${expected} bytes of data ${what}, found ${found}`);
  if (found > expected) fail(`has ${found - expected} bytes after the data: expected ${expected} bytes of data ${what}, found ${found}`);
  return {
    file,
    dtype,
    shape,
    data: decodeElements(bytes, { offset: dataStart, count, dtype, littleEndian: order !== '>' }),
  };
}

type Fail = (reason: string) => never;

/** Checks the magic and version and returns the header's text and where the data starts. */
function readHeader(bytes: Uint8Array, fail: Fail): { header: string; dataStart: number } {
  if (isGzip(bytes)) fail('is gzip-compressed; decompress it first (the file readers do this themselves)');
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) fail('is a zip archive (an .npz?); expected a single .npy array');
    fail(
      bytes.length < 10 && MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)
        ? `is truncated: ${bytes.length} bytes, an NPY header needs at least 10`
        : 'is not an NPY file: it does not start with the magic "\\x93NUMPY"',
    );
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) fail(`has NPY format version ${major}.${minor}; this reader knows 1.0, 2.0 and 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes)
    fail(`is truncated: ${bytes.length} bytes, the NPY header length field ends at byte ${8 + lengthBytes}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (bytes.length < dataStart)
    fail(`is truncated: the NPY header says it is ${headerLength} bytes, the file ends ${dataStart - bytes.length} bytes before its end`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  return { header, dataStart };
}

/** Reads `descr`, `fortran_order` and `shape` from the header's dict literal. */
function parseHeader(header: string, fail: Fail): { descr: string; order: string; dtype: NdDtype; shape: number[] } {
  const badHeader = (what: string): never => fail(`has an NPY header without a readable ${what}: ${JSON.stringify(header.trim())}`);
  if (/['"]descr['"]\s*:\s*[[{]/.test(header)) fail('holds a structured (record) array; only plain numeric arrays are read');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1] ?? badHeader("'descr'");
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1] ?? badHeader("'fortran_order'");
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1] ?? badHeader("'shape'");

  const order = descr[0] ?? '';
  const dtype = NPY_TYPES.get(descr.slice(1));
  if (!'<>|='.includes(order) || order === '' || dtype === undefined) {
    fail(
      `has dtype ${JSON.stringify(descr)}; this reader takes bool, uint8/16/32/64, int8/16/32/64, float32 and float64 (e.g. '<f4', '|u1')`,
    );
  }
  if (fortran === 'True') {
    fail('is stored in Fortran order (fortran_order: True); save it in C order, e.g. np.save(path, np.ascontiguousarray(a))');
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      if (!/^\d+$/.test(s)) badHeader("'shape'");
      return Number(s);
    });
  return { descr, order, dtype: dtype!, shape };
}
