import { close, closeSync, fsync, openSync, write } from 'node:fs';
import { promisify } from 'node:util';

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/**
 * A temp file opened for writing, created synchronously ('wx'). Created asynchronously, the file
 * could appear after a signal handler had already removed the tracked temp files and just before
 * the process exits (the thread pool's open() still in flight): left behind. Created on the main
 * thread, it exists exactly when the handler can see it. Its writes stay asynchronous.
 */
export class TempFileWriter {
  private closed = false;

  private constructor(private readonly fd: number) {}

  /** Creates `path`, failing if it exists. */
  static create(path: string): TempFileWriter {
    return new TempFileWriter(openSync(path, 'wx'));
  }

  /** Writes bytes from `offset` on; resolves with how many were written (as FileHandle.write does). */
  async write(bytes: Uint8Array, offset = 0): Promise<{ bytesWritten: number }> {
    const { bytesWritten } = await writeAsync(this.fd, bytes, offset, bytes.length - offset, null);
    return { bytesWritten };
  }

  /** Writes all of `data`. */
  async writeAll(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let at = 0; at < bytes.length; ) at += (await this.write(bytes, at)).bytesWritten;
  }

  sync(): Promise<void> {
    return fsyncAsync(this.fd);
  }

  /** Closes the file; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeAsync(this.fd);
  }

  /** Closes the file now, for a cleanup that cannot wait. */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
