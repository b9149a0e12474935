import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { forgetTempFile, trackTempFile } from './exit-cleanup.js';
import { TempFileWriter } from './temp-file.js';
import { onPath } from './fs-error.js';

/** How `writeFileAtomic` treats a file already at the destination. */
export interface AtomicWriteOptions {
  /**
   * true: replace it (rename over it). false: fail with EEXIST and leave it untouched.
   * @defaultValue true
   */
  readonly replace?: boolean;
}

/**
 * Writes `data` to `path` so that a reader (or a crash) sees either the old state or the whole new
 * file, never a part: write `<path>.tmp-<pid>-<random>`, fsync, then rename (or link, to not replace).
 * A file-system error (a full disk, a read-only folder) is a FileSystemError naming `path`.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  return onPath('write', path, () => writeThroughTemp(path, data, options));
}

async function writeThroughTemp(path: string, data: Uint8Array | string, options: AtomicWriteOptions): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let moved = false;
  trackTempFile(temp);
  try {
    // 'wx': the random name should be free; if it is not, fail rather than write into someone's file.
    const file = TempFileWriter.create(temp);
    try {
      await file.writeAll(data);
      await file.sync();
    } finally {
      await file.close();
    }
    if (options.replace ?? true) {
      await rename(temp, path);
      moved = true;
    } else {
      // link() never replaces: it fails with EEXIST if `path` exists, and otherwise publishes the
      // complete temp file under the new name in one step. The temp name is unlinked below.
      await link(temp, path);
    }
  } finally {
    if (!moved) await unlink(temp).catch(() => undefined);
    forgetTempFile(temp);
  }
  await syncDirectory(dirname(path));
}

/** Makes the new directory entry durable; best effort, as some file systems refuse fsync on a directory. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Atomicity comes from rename/link; only durability across a power loss depends on this.
  }
}
