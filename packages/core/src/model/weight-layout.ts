import type { TensorData } from '../ir/graph.js';

/**
 * How a file stores each layer's weight matrix. `in_out`: [in, out], the Gemm computes x W (training
 * graphs' flat vectors and checkpoints: what the trainer updates). `out_in`: [out, in] with Gemm
 * transB=1 (inference models): the layout PyTorch's exporter writes and OpenCV's ONNX importer
 * assumes (Debian 12's OpenCV 4.6 reads any Gemm weight as [out, in]).
 */
export type WeightLayout = 'in_out' | 'out_in';

/** The layout of files that do not say (written before the key existed): [in, out]. */
export const DEFAULT_WEIGHT_LAYOUT: WeightLayout = 'in_out';

/** A parameter's dims as stored in `layout`: weights ([in, out]) swapped for `out_in`, biases as they are. */
export function storedDims(dims: readonly number[], layout: WeightLayout): number[] {
  return layout === 'out_in' && dims.length === 2 ? [dims[1]!, dims[0]!] : [...dims];
}

/** A float32 [rows, cols] matrix as [cols, rows]; any other tensor unchanged. */
export function transposeMatrix(t: TensorData): TensorData {
  if (t.dims.length !== 2) return t;
  const [rows, cols] = t.dims as [number, number];
  const src = t.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return { dtype: t.dtype, dims: [cols, rows], data: out };
}
