import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { syncDirectory } from '../io/atomic-write.js';
import { forgetTempFile, trackTempFile } from '../io/exit-cleanup.js';
import { TempFileWriter } from '../io/temp-file.js';
import { fileError, onPath } from '../io/fs-error.js';

/** Where predictions go, a batch of text at a time. */
export interface Sink {
  /** Writes `text`; resolves false when the reader is gone (a closed pipe), so the caller can stop. */
  write(text: string): Promise<boolean>;
  /** Everything written: publishes the output. */
  close(): Promise<void>;
  /** A failure: leaves nothing behind. */
  abort(): Promise<void>;
}

/** Standard output, with backpressure; a closed pipe (`| head`) ends the output quietly. */
export function stdoutSink(stream: NodeJS.WriteStream = process.stdout): Sink {
  let gone = false;
  let failure: Error | undefined;
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') gone = true;
    else failure ??= e;
  };
  stream.on('error', onError);
  return {
    async write(text) {
      if (failure) throw failure;
      if (gone) return false;
      if (stream.write(text)) return true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          stream.off('error', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
        stream.on('close', done);
      });
      if (failure) throw failure;
      return !gone;
    },
    async close() {
      stream.off('error', onError);
      stream.on('error', () => undefined); // an EPIPE after the last write changes nothing
    },
    async abort() {
      stream.off('error', onError);
      stream.on('error', () => undefined);
    },
  };
}

/**
 * A file written as `<path>.tmp-<pid>-<random>` and renamed onto `path` by close(), so `path` is either
 * untouched or the complete output; abort() (and Ctrl-C, SIGTERM) removes the temp file. Without
 * `replace`, close() publishes with link(), which fails rather than replace a file that appeared meanwhile.
 */
export async function fileSink(path: string, replace: boolean): Promise<Sink> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  trackTempFile(temp);
  const out = handleOutput(await onPath('write', path, async () => TempFileWriter.create(temp)), path);
  const release = out.close;
  return {
    write: out.write,
    async close() {
      let published = false;
      try {
        await out.sync();
        await release();
        if (replace) {
          await onPath('write', path, () => rename(temp, path));
          published = true;
        } else {
          try {
            await link(temp, path);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EEXIST')
              throw new UserError(`--out ${path}: file appeared meanwhile; add --force to replace it`);
            throw fileError(e, 'write', path);
          }
        }
      } finally {
        if (!published) await unlink(temp).catch(() => undefined);
        forgetTempFile(temp);
        await release();
      }
      await syncDirectory(dirname(path));
    },
    async abort() {
      await release().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      forgetTempFile(temp);
    },
  };
}

/** A device or FIFO (/dev/null, a named pipe) that predictions are written through as they come; nothing to publish or undo. */
export async function streamSink(path: string): Promise<Sink> {
  const out = handleOutput(await onPath('write', path, () => open(path, 'w')), path);
  return { write: out.write, close: out.close, abort: () => out.close().catch(() => undefined) };
}

/**
 * An open file's writes (every byte, however many calls it takes) and a close that may be called more
 * than once; a file-system error names `path` (the output, not its temp file).
 */
function handleOutput(
  handle: Pick<FileHandle, 'write' | 'sync' | 'close'> | TempFileWriter,
  path: string,
): { write(text: string): Promise<boolean>; sync(): Promise<void>; close(): Promise<void> } {
  let closed = false;
  return {
    write: (text) =>
      onPath('write', path, async () => {
        const bytes = Buffer.from(text);
        for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at)).bytesWritten;
        return true;
      }),
    sync: () => onPath('write', path, () => handle.sync()),
    async close() {
      if (closed) return;
      closed = true;
      await onPath('write', path, () => handle.close());
    },
  };
}
