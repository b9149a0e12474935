import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataFormatError } from '@onnx-mlp/core';
import { collectBytes, isGzip } from '@onnx-mlp/core/data';
import { isErrnoError, reasonFor } from '../../io/fs-error.js';
import { hashingChunks } from './file-digests.js';

/** Bytes per read: large enough to keep syscalls few, small enough that a huge file never sits in memory. */
const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of the file at `path` as a stream of chunks, decompressed on the way when the file starts
 * with the gzip magic number (1f 8b), whatever its name. A file that cannot be opened or read, or a
 * damaged gzip stream, is a DataFormatError naming `path`. A read to the end records the file's
 * size and SHA-256 (file-digests.ts) for the model card.
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array, void, undefined> {
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const chunks = hashingChunks(path, raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  try {
    let first: IteratorResult<Buffer>;
    try {
      first = await chunks.next();
    } catch (e) {
      throw readError(path, e);
    }
    if (first.done) return;
    if (!isGzip(first.value)) {
      yield first.value;
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (e) {
          throw readError(path, e);
        }
        if (next.done) return;
        yield next.value;
      }
    }
    yield* gunzipped(path, first.value, chunks);
  } finally {
    raw.destroy();
  }
}

async function* gunzipped(path: string, first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Uint8Array, void, undefined> {
  async function* compressed(): AsyncGenerator<Buffer> {
    yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  let failure: unknown;
  const feeding = pipeline(Readable.from(compressed()), gunzip).catch((e: unknown) => {
    failure ??= e;
  });
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (e) {
    failure ??= e;
  } finally {
    gunzip.destroy();
    await feeding;
  }
  if (failure !== undefined) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code !== undefined && !code.startsWith('Z_') && code !== 'ERR_STREAM_PREMATURE_CLOSE') throw readError(path, failure);
    throw new DataFormatError({ file: path }, `is not a valid gzip file (${(failure as Error).message})`, { cause: failure });
  }
}

function readError(path: string, e: unknown): DataFormatError {
  const err = e as NodeJS.ErrnoException;
  // The same words as every other file error of the CLI (io/fs-error.ts), kept for the two whose wording tests pin.
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a folder, not a file'
        : isErrnoError(err)
          ? reasonFor(err.code)
          : err.message;
  return new DataFormatError({ file: path }, `cannot be read: ${why}`, { cause: e });
}

/** The whole file at `path` (decompressed if gzipped): for the binary formats, which are parsed whole. */
export function readFileBytes(path: string): Promise<Uint8Array> {
  return collectBytes(fileChunks(path));
}
