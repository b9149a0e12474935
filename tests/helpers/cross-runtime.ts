import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The one Python script that runs every model in one runtime (tests/python/cross_runtime.py). */
export const RUNNER = fileURLToPath(new URL('../python/cross_runtime.py', import.meta.url));

/** A model and the raw rows every runtime runs it on. */
export interface ModelJob {
  readonly name: string;
  readonly path: string;
  readonly rows: number;
  readonly cols: number;
  /** A file of rows × cols float32 values (missing as NaN, or as 0 when `missing` is given). */
  readonly input: string;
  /** For a model exported with `--missing mask`: a file of rows × cols float32, 1 where a cell is missing, fed as input `missing`. */
  readonly missing?: string;
  readonly outputs: readonly string[];
}

/** A graph's inputs as raw files, for one training step run in Python onnxruntime. */
export interface StepJob {
  readonly path: string;
  readonly inputs: ReadonlyArray<{ name: string; dtype: 'float32' | 'int64'; dims: number[]; file: string }>;
}

/** What one runtime did with one model: its outputs (NaN as null), or the error it raised and its native log. */
export type ModelResult = { outputs: Record<string, Array<number | null>> } | { error: string; log: string };

/** One runtime's answer to a job. */
export interface RuntimeAnswer {
  readonly runtime: string;
  readonly version: string;
  readonly results: Record<string, ModelResult>;
  /** The training step's outputs, base64 of their bytes (onnxruntime only). */
  readonly step?: Record<string, string>;
}

/** Writes `data` as a raw file beside the job and names it. */
export async function writeRaw(dir: string, name: string, data: Float32Array | BigInt64Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return path;
}

/** Runs the runner under `python` for `runtime` over the job file: one process for every model. */
export async function runRuntime(python: string, runtime: string, jobPath: string): Promise<RuntimeAnswer> {
  const { stdout } = await run(python, [RUNNER, runtime, jobPath], { timeout: 120_000, maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as RuntimeAnswer;
}

/**
 * The op a runtime refused, read from its error and native log: OpenCV logs `[Where]:(...)` for the
 * node it could not import, the others name the op in the message. Undefined when none is named.
 */
export function refusedOp(result: { error: string; log: string }, opTypes: readonly string[]): string | undefined {
  const text = `${result.log}\n${result.error}`;
  const bracketed = /\[(\w+)\]:\(/.exec(text)?.[1];
  if (bracketed && opTypes.includes(bracketed)) return bracketed;
  return opTypes.find((op) => new RegExp(`\\b${op}\\b`).test(text));
}
