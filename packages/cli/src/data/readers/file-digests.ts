import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** A file's size and SHA-256, taken from the bytes as they were read from disk. */
export interface FileDigest {
  readonly bytes: number;
  /** Lowercase hex, as `sha256sum` prints it. */
  readonly sha256: string;
}

// The last complete read of each file (by absolute path). Reads happen deep inside the data readers;
// the model card asks afterwards, so the file is hashed once, while it is read, never read again.
const digests = new Map<string, FileDigest>();

/** The digest of the last complete read of `path` in this process, or undefined when none finished. */
export function fileDigest(path: string): FileDigest | undefined {
  return digests.get(resolve(path));
}

/** Records the digest of a file read whole at once (`bytes` as they came off the disk). */
export function recordFileBytes(path: string, bytes: Uint8Array): FileDigest {
  const digest = { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  digests.set(resolve(path), digest);
  return digest;
}

/**
 * Passes `chunks` (a file's raw bytes, in order) through unchanged and, when they end, records the
 * file's size and SHA-256. A read abandoned early records nothing (its hash would be of a prefix).
 */
export function hashingChunks<T extends Uint8Array>(path: string, chunks: AsyncIterator<T>): AsyncIterator<T> {
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    next: async () => {
      const step = await chunks.next();
      if (step.done) digests.set(resolve(path), { bytes, sha256: hash.digest('hex') });
      else {
        hash.update(step.value);
        bytes += step.value.byteLength;
      }
      return step;
    },
  };
}
