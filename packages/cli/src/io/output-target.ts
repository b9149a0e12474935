import { constants, type Stats } from 'node:fs';
import { access, lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OptionError } from '../errors.js';

/** Where an output goes once its name is resolved. */
export type OutputTarget =
  /** A regular file (or none yet) at `path`, symlinks resolved: written to a temp file and renamed onto it. */
  | { readonly kind: 'file'; readonly path: string }
  /** A character device or FIFO (/dev/null, a named pipe): written through, never renamed over. */
  | { readonly kind: 'stream'; readonly path: string }
  /** `-` or /dev/stdout: the process's standard output. */
  | { readonly kind: 'stdout' };

/** What checkOutputTarget checks an output path against. */
export interface OutputCheck {
  /** The option's name, for messages: out, report. */
  readonly option?: string;
  /** Let a regular file be replaced. */
  readonly force: boolean;
  /** Files the command reads: the output may not be any of them (same device and inode), even with force. */
  readonly inputs?: readonly (string | null | undefined)[];
  /** Whether `-` and /dev/stdout may take the output (not for train, whose progress goes there). */
  readonly stdout?: boolean;
}

/** The names that mean "standard output" rather than a file. */
export function isStdoutName(path: string): boolean {
  return path === '-' || path === '/dev/stdout';
}

/**
 * Follows `path` through symlinks to the file it names, also when that file does not exist yet (a
 * dangling link names the file to create), so the link itself is kept and its target replaced.
 */
export async function resolveOutputPath(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const link = await lstat(current).catch(() => undefined);
    if (!link?.isSymbolicLink()) return current;
    const real = await realpath(current).catch(() => undefined);
    if (real !== undefined) return real;
    current = resolve(dirname(current), await readlink(current));
  }
  return current;
}

/** Whether `stats` is one of the inputs (the same device and inode, whatever the names). */
async function sameFileAsInput(stats: Stats, inputs: readonly (string | null | undefined)[]): Promise<string | undefined> {
  for (const input of inputs) {
    if (input === null || input === undefined || input === '-') continue;
    const other = await stat(input).catch(() => undefined);
    if (other && other.dev === stats.dev && other.ino === stats.ino) return input;
  }
  return undefined;
}

/**
 * Checks, before any work, that an output (`--out FILE`, `--report FILE`) can be written without
 * damage, and says where it goes: a regular file is replaced only with `force` (the final write is
 * still no-replace, so a file that appears meanwhile is not clobbered either); a device or FIFO is
 * written through if writable; a folder or socket is refused; an input is never overwritten.
 */
export async function checkOutputTarget(path: string, check: OutputCheck): Promise<OutputTarget> {
  const option = check.option ?? 'out';
  if (isStdoutName(path)) {
    if (check.stdout) return { kind: 'stdout' };
    throw new OptionError(option, path, 'cannot write to standard output here (progress goes there); give a file name');
  }
  const target = await resolveOutputPath(path);
  const dir = dirname(target);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new OptionError(option, path, `folder ${dir} does not exist`);
  const fileStat = await stat(target).catch(() => undefined);
  if (fileStat === undefined) return { kind: 'file', path: target };
  const input = await sameFileAsInput(fileStat, check.inputs ?? []);
  if (input !== undefined) throw new OptionError(option, path, `is the same file as the input ${input}; give another name`);
  if (fileStat.isDirectory()) throw new OptionError(option, path, 'is a folder; give a file name');
  if (fileStat.isFile()) {
    if (!check.force) throw new OptionError(option, path, 'file exists; add --force to replace it');
    return { kind: 'file', path: target };
  }
  if (fileStat.isCharacterDevice() || fileStat.isFIFO() || fileStat.isBlockDevice()) {
    const writable = await access(target, constants.W_OK).then(
      () => true,
      () => false,
    );
    if (!writable) throw new OptionError(option, path, 'is a device or pipe that is not writable');
    return { kind: 'stream', path: target };
  }
  throw new OptionError(option, path, 'is not a regular file, device or pipe (a socket?); give a file name');
}
