import { DataFormatError } from './errors.js';
import type { Table, TableColumn } from './table.js';

/** Element types of the binary array formats (IDX, NPY). */
export type NdDtype = 'bool' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** The typed array that holds elements of each NdDtype (`bool` is 0/1 bytes). */
export type NdData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** An n-dimensional array read from a binary file: row-major (C order) elements, exactly as stored. */
export interface NdArray {
  /** The file as the user named it. */
  readonly file: string;
  readonly dtype: NdDtype;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** `shape`'s product elements, in native byte order. */
  readonly data: NdData;
}

export const ND_BYTES: Record<NdDtype, number> = {
  bool: 1,
  uint8: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function allocate(dtype: NdDtype, buffer: ArrayBuffer): NdData {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'uint16':
      return new Uint16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'uint32':
      return new Uint32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'uint64':
      return new BigUint64Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

/** Where and how a binary file stores its array elements. */
export interface ElementLayout {
  /** Byte offset of the first element. */
  readonly offset: number;
  /** Number of elements. */
  readonly count: number;
  readonly dtype: NdDtype;
  /** The byte order the file stores elements in. */
  readonly littleEndian: boolean;
}

/**
 * The elements `layout` describes in `bytes`, copied into a new typed array in native byte order (a
 * copy, so alignment never matters and the file buffer can be freed).
 */
export function decodeElements(bytes: Uint8Array, layout: ElementLayout): NdData {
  const { offset, count, dtype, littleEndian } = layout;
  const size = ND_BYTES[dtype];
  // Not `bytes.slice`: on a Node Buffer that is a view into a shared pool, not a copy.
  const copy = new Uint8Array(count * size);
  copy.set(bytes.subarray(offset, offset + count * size));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return allocate(dtype, copy.buffer);
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `(60000, 28, 28)`, as NumPy prints shapes. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * An array as a table: one row per outermost index, one column per element of a row (the trailing
 * dimensions flattened in row-major order), named `"0"`, `"1"`, …; a 1-D or 0-D array is one column
 * named `"value"`. Columns keep the array's own element type (a `uint8` image set stays bytes); 64-bit
 * integers become doubles, and one a double cannot hold exactly is a DataFormatError naming its row.
 */
export function tableFromArray(array: NdArray): Table {
  const { file, shape, data } = array;
  const rows = shape.length === 0 ? 1 : shape[0]!;
  const width = shape.length <= 1 ? 1 : elementCount(shape.slice(1));
  const names = shape.length <= 1 ? ['value'] : Array.from({ length: width }, (_, i) => String(i));
  const columns = names.map((name, c): TableColumn => {
    let cells: ArrayLike<number>;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      const out = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const v = data[r * width + c]!;
        const n = Number(v);
        if (!Number.isSafeInteger(n) && BigInt(n) !== v) {
          throw new DataFormatError({ file, row: r + 1, column: name }, `${v} does not fit a double exactly`);
        }
        out[r] = n;
      }
      cells = out;
    } else if (width === 1) {
      cells = data as ArrayLike<number>;
    } else {
      const numbers = data as ArrayLike<number>;
      const out = new (data.constructor as new (n: number) => { [i: number]: number; length: number })(rows);
      for (let r = 0; r < rows; r++) out[r] = numbers[r * width + c]!;
      cells = out;
    }
    return { name, index: c, cells };
  });
  return { file, format: 'array', columns, rowCount: rows };
}
