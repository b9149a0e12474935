// The one place where the CLI words a file-system error (errno code) for the user.
import { UserError } from '../errors.js';
import { escapeUnsafe } from './echo.js';

/** What the CLI was doing to a path when the file system refused. */
export type FileOperation = 'read' | 'write' | 'create' | 'create folder' | 'remove' | 'list' | 'lock';

/** Each errno code as a user reads it; the hint says what to do where there is something to do. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files in this process (raise the limit: ulimit -n)',
  ENFILE: 'too many open files on this system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a folder on its path is a file',
  EISDIR: 'it is a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'folder not empty',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'file busy',
  EXDEV: 'on another file system',
  EIO: 'input/output error (a failing disk or network file system?)',
  ENXIO: 'no such device (or a FIFO with no reader)',
  ENODEV: 'no such device',
  EINVAL: 'the file system refused the operation',
  ESTALE: 'stale network file handle',
};

/** Verbs for the system call a raw Node error names, when no operation was given. */
const SYSCALL_OPERATIONS: Readonly<Record<string, FileOperation>> = {
  open: 'read',
  read: 'read',
  stat: 'read',
  lstat: 'read',
  scandir: 'list',
  write: 'write',
  fsync: 'write',
  rename: 'write',
  link: 'write',
  copyfile: 'write',
  mkdir: 'create folder',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
};

/** A file-system error worded for the user: `cannot write runs/3/checkpoint.ckpt: no space left on device`. */
export class FileSystemError extends UserError {
  constructor(
    /** The errno code (ENOSPC…); kept so that callers can still test it. */
    readonly code: string,
    readonly operation: FileOperation,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`cannot ${operation} ${escapeUnsafe(path)}: ${reasonFor(code)}`, options);
    this.name = 'FileSystemError';
  }
}

/** The words for errno `code` (its own name when it is not in the table). */
export function reasonFor(code: string): string {
  return REASONS[code] ?? code;
}

/** True for Node's system errors (they carry an errno code such as ENOSPC). */
export function isErrnoError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  // Node's system errors also carry errno or syscall: core's own codes (EXPLAIN, EMPTY_LABEL) look alike.
  const x = e as NodeJS.ErrnoException;
  return (
    e instanceof Error &&
    typeof x.code === 'string' &&
    /^E[A-Z0-9]+$/.test(x.code) &&
    (typeof x.errno === 'number' || typeof x.syscall === 'string')
  );
}

/** `e` as a FileSystemError naming `operation` and `path` when it is a system error; anything else unchanged. */
export function fileError(e: unknown, operation: FileOperation, path: string): unknown {
  if (e instanceof FileSystemError || !isErrnoError(e)) return e;
  return new FileSystemError(e.code, operation, path, { cause: e });
}

/** Runs `action` on `path`; a system error it throws is rethrown as a FileSystemError naming the path and `operation`. */
export async function onPath<T>(operation: FileOperation, path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    throw fileError(e, operation, path);
  }
}

/** A system error no module has worded yet (main.ts words it with describeSystemError). */
export function isUnwordedSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return isErrnoError(e) && !(e instanceof UserError);
}

/**
 * A system error that reached main.ts without being worded (a path Node recorded itself, or none):
 * `cannot <operation> <path>: <reason>`, or `<reason> (<syscall>)` when Node recorded no path.
 */
export function describeSystemError(e: NodeJS.ErrnoException & { code: string }): string {
  const operation = SYSCALL_OPERATIONS[e.syscall ?? ''] ?? 'use';
  if (e.path) return `cannot ${operation} ${escapeUnsafe(e.path)}: ${reasonFor(e.code)}`;
  return `${reasonFor(e.code)}${e.syscall ? ` (${e.syscall})` : ''}`;
}
