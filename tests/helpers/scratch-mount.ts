import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { inCi } from './require-tool.js';

const run = promisify(execFile);

/** A small tmpfs mounted for a test: a full disk (ENOSPC) or a read-only file system (EROFS) on demand. */
export interface ScratchMount {
  readonly path: string;
  unmount(): Promise<void>;
}

/** Why a mount cannot be made here: mount(2) needs CAP_SYS_ADMIN, which an unprivileged container lacks. */
export class NoMount {
  constructor(readonly reason: string) {}
}

// What mount(8) says when the process may not mount at all: a fact of the machine, not a missing package.
const UNPRIVILEGED = /permission denied|must be superuser|operation not permitted|only root/i;

/**
 * Mounts a tmpfs of `sizeKb` KiB (read-only with `readOnly`) on `path`. Where mounting is refused for
 * lack of privilege it resolves to a NoMount whose reason the test skips with, under CI too: no
 * installation can give an unprivileged container CAP_SYS_ADMIN. Any other failure throws.
 */
export async function mountTmpfs(path: string, options: { sizeKb: number; readOnly?: boolean }): Promise<ScratchMount | NoMount> {
  await mkdir(path, { recursive: true });
  const flags = `${options.readOnly ? 'ro,' : ''}size=${options.sizeKb}k,mode=0777`;
  try {
    await run('mount', ['-t', 'tmpfs', '-o', flags, 'tmpfs', path]);
  } catch (e) {
    const said = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    if (UNPRIVILEGED.test(said) || (process.getuid?.() ?? 0) !== 0) {
      const reason = `cannot mount a tmpfs here (${said || 'not root'}): mount(2) needs CAP_SYS_ADMIN`;
      if (inCi()) console.warn(`skipping under CI: ${reason}`);
      return new NoMount(reason);
    }
    throw e;
  }
  return { path, unmount: () => run('umount', ['-l', path]).then(() => undefined) };
}
