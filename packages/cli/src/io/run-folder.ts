import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir } from './ensure-dir.js';
import { fileError, onPath } from './fs-error.js';

/** A numbered folder `<runsDir>/<n>` that belongs to one run. */
export interface RunFolder {
  readonly path: string;
  readonly number: number;
}

/**
 * Creates `<runsDir>/<n>`, n one past the highest numbered entry there. The folder itself is made
 * with a non-recursive mkdir, which fails on EEXIST, so two concurrent runs never share one: the
 * loser of a race moves on to n+1.
 */
export async function createRunFolder(runsDir: string): Promise<RunFolder> {
  await ensureDir(runsDir);
  let n = highestRunNumber(await onPath('list', runsDir, () => readdir(runsDir))) + 1;
  for (;;) {
    const path = join(runsDir, String(n));
    try {
      await mkdir(path);
      return { path, number: n };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(e, 'create folder', path);
      n++;
    }
  }
}

/** The largest n among entries named as a plain decimal number (1, 2, 10; not 01 or 3a), else 0. */
export function highestRunNumber(names: readonly string[]): number {
  let highest = 0;
  for (const name of names) {
    if (/^[1-9]\d{0,14}$/.test(name)) highest = Math.max(highest, Number(name));
  }
  return highest;
}
