import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';

/** The temp-file names writeFileAtomic and predict's file output use: `<name>.tmp-<pid>-<12 hex digits>`. */
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]{12}$/;

/** The pid that wrote a temp file, from its name; undefined for any other name. */
export function tempFileOwner(name: string): number | undefined {
  const match = TEMP_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes the temp files in `dir` left by processes that no longer exist (killed with kill -9, or
 * by the machine going down); a live process's temp file is left alone. Returns the names removed.
 * The pid is only meaningful on this host: a folder shared between machines could hold a live
 * process's file under a pid that is free here, which is why only names of this exact form count.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempFileOwner(name);
    if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
    if (
      await unlink(join(dir, name)).then(
        () => true,
        () => false,
      )
    )
      removed.push(name);
  }
  return removed;
}
