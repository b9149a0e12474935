import { DataFormatError } from './errors.js';
import { isGzip } from './gzip.js';
import { ND_BYTES, type NdArray, type NdDtype, decodeElements, elementCount, formatShape } from './ndarray.js';

/** IDX type codes (the third magic byte) and the element type each stands for. */
const IDX_TYPES: ReadonlyMap<number, NdDtype> = new Map([
  [0x08, 'uint8'],
  [0x09, 'int8'],
  [0x0b, 'int16'],
  [0x0c, 'int32'],
  [0x0d, 'float32'],
  [0x0e, 'float64'],
]);

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Parses an IDX file (the format of MNIST's `train-images-idx3-ubyte`): a 4-byte magic number (0, 0,
 * the type code, the number of dimensions), each dimension as a big-endian uint32, then the elements,
 * big-endian, row-major. Bytes must already be decompressed (`gunzip` does that; a gzip stream is an
 * error saying so). Anything short, long or unknown is a DataFormatError naming the file and what is
 * wrong, e.g. `expected 47040000 bytes of data for shape (60000, 28, 28) uint8, found 1000`.
 */
export function parseIdx(bytes: Uint8Array, file: string): NdArray {
  const fail = (reason: string): never => {
    throw new DataFormatError({ file }, reason);
  };
  if (isGzip(bytes)) fail('is gzip-compressed; decompress it first (the file readers do this themselves)');
  if (bytes.length < 4) fail(`is too short for an IDX file: ${bytes.length} bytes, the magic number alone is 4`);
  const [zero0, zero1, code, rank] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (zero0 !== 0 || zero1 !== 0) {
    fail(`is not an IDX file: it starts ${hex(zero0)} ${hex(zero1)}, an IDX magic number starts 0x00 0x00`);
  }
  const dtype =
    IDX_TYPES.get(code) ??
    fail(`has an unknown IDX type code ${hex(code)} (known: 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64)`);
  if (rank === 0) fail('has 0 dimensions in its IDX magic number; expected at least 1');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(`is truncated: its header needs ${headerBytes} bytes for ${rank} dimensions, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = elementCount(shape);
  const expected = count * ND_BYTES[dtype];
  const found = bytes.length - headerBytes;
  const what = `for shape ${formatShape(shape)} ${dtype}`;
  if (found < expected) fail(`is truncated: expected ${expected} bytes of data ${what}, found ${found}`);
  if (found > expected) fail(`has ${found - expected} bytes after the data: expected ${expected} bytes of data ${what}, found ${found}`);
  return { file, dtype, shape, data: decodeElements(bytes, { offset: headerBytes, count, dtype, littleEndian: false }) };
}
