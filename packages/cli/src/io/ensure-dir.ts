import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onPath } from './fs-error.js';

/**
 * Creates `dir` and any missing parents, like `mkdir -p`. Written out rather than
 * `mkdir(dir, { recursive: true })` because Node 20's recursive mkdir spins forever on a path such
 * as /proc/x where mkdir reports ENOENT although the parent exists; here each level is tried once.
 * A failure is a FileSystemError naming the folder.
 */
export function ensureDir(dir: string): Promise<void> {
  return onPath('create folder', dir, () => makeDirs(dir));
}

async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw e;
    await makeDirs(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}
