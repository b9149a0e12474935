import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { onInterrupt } from './exit-cleanup.js';
import { fileError } from './fs-error.js';
import { processAlive } from './process-alive.js';

/** The lock file's name inside a run folder. */
export const LOCK_FILE = 'train.lock';

/** Who holds a run folder: what the lock file records. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

/** A held lock: `release` removes the lock file (also done on SIGINT/SIGTERM). */
export interface RunLock {
  readonly path: string;
  /** A stale lock taken over from a dead process, said to the user; undefined otherwise. */
  readonly notice: string | undefined;
  release(): Promise<void>;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? { pid: holder.pid, host: holder.host } : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as held by an unknown process
  }
}

/**
 * Creates the lock file exclusively with its contents already in it: written to a temp file, then
 * link()ed to `path` (which fails if `path` exists). A lock file is therefore never empty, even if
 * the process is killed while taking it (an empty one would read as held by an unknown process for
 * ever). Synchronous, so a signal cannot fall between creating the lock and its cleanup being known.
 * False if the lock already exists.
 */
function tryCreate(path: string, me: LockHolder): boolean {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    writeFileSync(temp, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    linkSync(temp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileError(e, 'lock', path);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
  }
}

/**
 * Makes this process the one writer of run folder `folder`: creates `<folder>/train.lock` holding
 * this pid and host. A lock left by a dead process on this host is taken over (with a notice); a
 * live one, or one from another host (whose pids cannot be checked from here), is a UserError naming
 * the holder.
 */
export async function lockRunFolder(folder: string): Promise<RunLock> {
  const path = join(folder, LOCK_FILE);
  const me = { pid: process.pid, host: hostname() };
  let notice: string | undefined;
  for (let attempt = 0; !tryCreate(path, me); attempt++) {
    const holder = await readHolder(path);
    const stale = holder !== undefined && holder.host === me.host && !processAlive(holder.pid);
    if (!stale || attempt > 0) {
      const who = holder ? `process ${holder.pid} on ${holder.host}` : 'another process';
      throw new UserError(`run folder ${folder} is in use by ${who} (lock file ${path}; remove it if that process is gone)`);
    }
    await unlink(path).catch(() => undefined);
    notice = `took over the lock of ${folder} from process ${holder.pid} on ${holder.host}, which has ended`;
  }
  const unregister = onInterrupt(() => releaseNow(path));
  return {
    path,
    notice,
    async release() {
      unregister();
      releaseNow(path);
    },
  };
}

/** Removes the lock file if it is still this process's (a takeover by another process is left alone). */
function releaseNow(path: string): void {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (holder.pid === process.pid && holder.host === hostname()) unlinkSync(path);
  } catch {
    // already gone
  }
}
