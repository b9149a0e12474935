import * as ort from 'onnxruntime-node';
import { encodeModel, featureWidth, type Preprocessing } from '@onnx-mlp/core';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';

/** The preprocessing graph in an onnxruntime-node session: raw rows in, the MLP's features out. */
export interface PreprocessGraph {
  /** Features per row. */
  readonly width: number;
  /** The features [rows, width] of raw rows [rows, columns]. */
  run(raw: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Opens `p`'s preprocessing graph (core's buildPreprocessModel) in onnxruntime-node. */
export async function openPreprocessGraph(p: Preprocessing): Promise<PreprocessGraph> {
  const session = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(p)));
  const width = featureWidth(p);
  return { width, run: (raw) => preprocess(session, raw, p.columns.length, width), release: () => session.release() };
}

/** Runs the preprocessing graph over raw rows [rows, columns] and returns the features [rows, width]. */
export async function preprocess(session: ort.InferenceSession, raw: Float32Array, columns: number, width: number): Promise<Float32Array> {
  const rows = raw.length / columns;
  const out = new Float32Array(rows * width);
  const chunk = 65536;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const input = new ort.Tensor('float32', raw.subarray(start * columns, (start + n) * columns), [n, columns]);
    const result = await session.run({ input });
    out.set(result.features!.data as Float32Array, start * width);
  }
  return out;
}
