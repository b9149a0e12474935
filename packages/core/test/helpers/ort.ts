import * as ort from 'onnxruntime-node';
import { encodeModel } from '@onnx-mlp/core';
import { DataType, type GraphBuilder, ORT_TYPE, type TensorData, type Value, makeModel } from '@onnx-mlp/core/ir';

/** Runs a built graph once on onnxruntime-node (CPU) and returns every output as float64 numbers. */
export async function runGraph(b: GraphBuilder, feeds: Record<string, TensorData>): Promise<Record<string, number[]>> {
  const session = await sessionOf(b);
  return runSession(session, feeds);
}

/** Creates an onnxruntime-node CPU session for the graph recorded in `b`. */
export async function sessionOf(b: GraphBuilder): Promise<ort.InferenceSession> {
  const bytes = encodeModel(makeModel(b.build(), { opset: b.opset }));
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
}

/** Feeds TensorData to a session and reads all outputs back as plain numbers. */
export async function runSession(session: ort.InferenceSession, feeds: Record<string, TensorData>): Promise<Record<string, number[]>> {
  const inputs: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor(ORT_TYPE[t.dtype], t.data, t.dims);
  const out = await session.run(inputs);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as ArrayLike<number | bigint>, Number)]));
}

/** A float tensor of the given shape from plain numbers. */
export function tensor(data: readonly number[], dims: readonly number[], dtype = DataType.DOUBLE): TensorData {
  const arr =
    dtype === DataType.FLOAT
      ? Float32Array.from(data)
      : dtype === DataType.INT64
        ? BigInt64Array.from(data.map(BigInt))
        : dtype === DataType.BOOL
          ? Uint8Array.from(data)
          : Float64Array.from(data);
  return { dtype, dims, data: arr };
}

export type { Value };
