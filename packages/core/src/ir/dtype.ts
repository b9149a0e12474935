/** ONNX element types that onnx-mlp graphs use (values match `TensorProto.DataType`). */
export enum DataType {
  FLOAT = 1,
  UINT8 = 2,
  INT32 = 6,
  INT64 = 7,
  BOOL = 9,
  DOUBLE = 11,
}

/** A typed array that can hold the elements of a tensor of some `DataType`. */
export type TensorArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** Element size in bytes of each supported type. */
export const BYTES_PER_ELEMENT: Record<DataType, number> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.DOUBLE]: 8,
};

/** The onnxruntime-common type string of each supported type. */
export const ORT_TYPE: Record<DataType, 'float32' | 'uint8' | 'int32' | 'int64' | 'bool' | 'float64'> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.BOOL]: 'bool',
  [DataType.DOUBLE]: 'float64',
};

/** True for the floating-point types gradients can flow through. */
export function isFloat(dtype: DataType): boolean {
  return dtype === DataType.FLOAT || dtype === DataType.DOUBLE;
}

/** Allocates a zeroed typed array of `dtype` with `size` elements. */
export function allocate(dtype: DataType, size: number): TensorArray {
  switch (dtype) {
    case DataType.FLOAT:
      return new Float32Array(size);
    case DataType.DOUBLE:
      return new Float64Array(size);
    case DataType.INT32:
      return new Int32Array(size);
    case DataType.INT64:
      return new BigInt64Array(size);
    case DataType.UINT8:
    case DataType.BOOL:
      return new Uint8Array(size);
  }
}

/** Reinterprets little-endian bytes as a typed array of `dtype` (copying, so alignment never matters). */
export function fromBytes(dtype: DataType, bytes: Uint8Array): TensorArray {
  const size = bytes.byteLength / BYTES_PER_ELEMENT[dtype];
  const out = allocate(dtype, size);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
