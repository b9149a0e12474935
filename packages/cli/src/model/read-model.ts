import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel, type Model } from '@onnx-mlp/core';
import { UserError } from '../errors.js';
import { isErrnoError, reasonFor } from '../io/fs-error.js';

/** A decoded model file and its size on disk. */
export interface ModelFile {
  readonly path: string;
  /** The file's size in bytes. */
  readonly bytes: number;
  /** The bytes that were decoded: what a session must load, so that what was checked is what runs. */
  readonly data: Uint8Array;
  readonly model: Model;
}

/** Thrown when a path cannot be read as an ONNX model; the message names the file and why. */
export class UnreadableModelError extends UserError {
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: not a readable ONNX model (${reason})`, options);
    this.name = 'UnreadableModelError';
  }
}

const IO_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a folder on its path is a file',
  ELOOP: 'too many symbolic links',
};

/**
 * Reads and decodes `path` with core's decodeModel. Every failure (missing file, a folder: the hint
 * names `command`; bytes that are not an ONNX ModelProto) is an UnreadableModelError naming the
 * file. Protobuf has no end marker, so a file cut short at a field boundary can still decode: then it
 * is reported as whatever it decodes to.
 */
export async function readModelFile(path: string, command = 'inspect'): Promise<ModelFile> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      const hint = await stat(join(path, 'model.onnx')).then(
        () => `; ${command} ${join(path, 'model.onnx')}?`,
        () => '',
      );
      throw new UnreadableModelError(path, `it is a folder${hint}`);
    }
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof UnreadableModelError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UnreadableModelError(path, IO_REASONS[code] ?? (isErrnoError(e) ? reasonFor(code) : (e as Error).message), { cause: e });
  }
  try {
    // Lenient: inspect shows any ONNX file, float16 or string tensors included.
    return { path, bytes: bytes.length, data: bytes, model: decodeModel(bytes, { lenient: true }) };
  } catch (e) {
    // decodeModel says "not an ONNX model (<why>)"; keep only the why.
    const message = (e as Error).message ?? String(e);
    const reason = /^not an ONNX model \((.*)\)$/s.exec(message)?.[1] ?? message;
    throw new UnreadableModelError(path, bytes.length === 0 ? 'the file is empty' : reason, { cause: e });
  }
}
