import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onInterrupt, removeFolderNow } from './exit-cleanup.js';
import { createRunFolder } from './run-folder.js';
import { lockRunFolder, type RunLock } from './run-lock.js';
import { removeStaleTempFiles } from './stale-temps.js';

/**
 * A run folder held by this process: locked while training writes it, and, when this run created
 * it, removed again if a signal ends the run before `keepFile` exists in it (its first checkpoint).
 * A run that fails with an error keeps its folder (config.json shows what was tried), and --resume
 * says that no epoch completed there.
 */
export class RunFolderGuard {
  private lock: RunLock | undefined;
  private created: string | undefined;
  private unregister: (() => void) | undefined;

  constructor(private readonly keepFile: string) {}

  /** Creates and locks a new numbered folder in `runsDir`. */
  async create(runsDir: string): Promise<string> {
    const { path } = await createRunFolder(runsDir);
    this.created = path;
    this.unregister = onInterrupt(() => this.removeIfUnstarted());
    this.lock = await lockRunFolder(path);
    return path;
  }

  /** Locks an existing run folder (--resume) and clears the temp files dead processes left in it; returns the notices. */
  async adopt(folder: string): Promise<string[]> {
    this.lock = await lockRunFolder(folder);
    const removed = await removeStaleTempFiles(folder);
    const notices = this.lock.notice ? [this.lock.notice] : [];
    if (removed.length > 0) notices.push(`removed ${removed.length} temp file(s) of ended processes from ${folder}`);
    return notices;
  }

  /** Releases the lock; the folder stays. */
  async release(): Promise<void> {
    this.unregister?.();
    await this.lock?.release();
  }

  private removeIfUnstarted(): void {
    if (this.created !== undefined && !existsSync(join(this.created, this.keepFile))) removeFolderNow(this.created);
  }
}
