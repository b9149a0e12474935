import { argmax } from '@onnx-mlp/core/metrics';
import type { OnnxMlpMetadata } from './model-metadata.js';

/** One record's prediction: the class (with every class's probability) or the regression value. */
export interface Prediction {
  /** The class name (classifiers) or the predicted value (regression). */
  label: string | number;
  /** Classifiers: the probability of every class, by class name. */
  probabilities?: Record<string, number>;
  /** Regression: the (first) predicted value. */
  value?: number;
  /** Regression with several targets: every predicted value, in label-column order. */
  values?: number[];
}

/** The outputs of predictArrays, row-major. */
export interface ArrayPrediction {
  rows: number;
  /** Values per row in `probabilities` or `values`. */
  outputs: number;
  /** Classifiers: [rows, outputs] class probabilities. */
  probabilities?: Float32Array;
  /** Regression (and models onnx-mlp did not make: their first float output): [rows, outputs]. */
  values?: Float32Array;
  /** Per row: the class name, the value (one-output regression), or the argmax index (foreign models with several outputs). */
  labels: (string | number)[];
}

/** One output's data from each session run, in row order. */
export type OutputChunks = readonly ArrayLike<number | bigint>[];

/**
 * The chunks as one Float32Array. A single chunk that owns its whole buffer (what ORT hands back for
 * each run) is returned as it is: it is fresh per call, so no caller shares it.
 */
export function joinFloat(chunks: OutputChunks): Float32Array {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only instanceof Float32Array && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only;
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c as Float32Array, at);
    at += c.length;
  }
  return out;
}

/** Whether this machine stores an int64 low word first, so an Int32Array view reads a small index without a BigInt. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Per row, the class name of the model's `label` output (its index where the name is missing), in
 * one pass. Reading a BigInt64Array element allocates a BigInt; on a little-endian machine an index
 * in [0, 2^31) is read from the low 32-bit word instead, anything else as before: 65,536 labels
 * took 10 ms with Array.from over the BigInts, 0.6 ms so.
 */
export function classLabels(chunks: OutputChunks, classNames: readonly string[]): (string | number)[] {
  // Sized once (every slot is written below): growing it by push took twice as long.
  const labels = new Array<string | number>(chunks.reduce((n, c) => n + c.length, 0));
  let row = 0;
  for (const chunk of chunks) {
    const words = LITTLE_ENDIAN && chunk instanceof BigInt64Array ? new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length * 2) : null;
    for (let i = 0; i < chunk.length; i++, row++) {
      const k = words && words[2 * i + 1] === 0 && words[2 * i]! >= 0 ? words[2 * i]! : Number(chunk[i]);
      labels[row] = classNames[k] ?? k;
    }
  }
  return labels;
}

/** Per row, the value (one output per row) or the index of the largest of its `outputs` values. */
export function valueLabels(values: Float32Array, rows: number, outputs: number): number[] {
  const labels = new Array<number>(rows);
  for (let r = 0; r < rows; r++) labels[r] = outputs === 1 ? values[r]! : argmax(values, r * outputs, outputs);
  return labels;
}

/** Turns predictArrays' output of an onnx-mlp model into one Prediction per row. */
export function toPredictions(out: ArrayPrediction, meta: OnnxMlpMetadata): Prediction[] {
  const w = out.outputs;
  const predictions: Prediction[] = [];
  for (let r = 0; r < out.rows; r++) {
    if (out.probabilities) {
      predictions.push({ label: out.labels[r]!, probabilities: classProbabilities(meta.classNames, out.probabilities, r * w) });
      continue;
    }
    const value = out.values![r * w]!;
    predictions.push(
      w > 1 ? { label: value, value, values: Array.from(out.values!.subarray(r * w, (r + 1) * w)) } : { label: value, value },
    );
  }
  return predictions;
}

/** Class name → probability, in class order; a class named "__proto__" stays an own key (as Object.fromEntries makes it). */
function classProbabilities(classNames: readonly string[], probabilities: Float32Array, offset: number): Record<string, number> {
  const byName: Record<string, number> = {};
  for (let k = 0; k < classNames.length; k++) {
    const name = classNames[k]!;
    const p = probabilities[offset + k]!;
    if (name === '__proto__') Object.defineProperty(byName, name, { value: p, enumerable: true, writable: true, configurable: true });
    else byName[name] = p;
  }
  return byName;
}
