import { rmSync, unlinkSync } from 'node:fs';

/**
 * What a signal (SIGINT, SIGTERM) must undo before the process ends: temp files being written, the
 * run folder's lock, a run folder with no epoch in it yet. Everything here is synchronous, because a
 * signal handler exits right after it runs.
 */
const tempFiles = new Set<string>();
const cleanups = new Set<() => void>();

/** Marks `path` as a temp file of this process, removed if a signal ends it before `forgetTempFile`. */
export function trackTempFile(path: string): void {
  tempFiles.add(path);
}

/** The temp file was renamed into place or removed: nothing left to clean. */
export function forgetTempFile(path: string): void {
  tempFiles.delete(path);
}

/** Registers `cleanup` to run if a signal ends the process; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Removes every tracked temp file and runs every registered cleanup, newest first; each is best effort. */
export function cleanUpNow(): void {
  for (const path of tempFiles) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  tempFiles.clear();
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch {
      // one failed cleanup must not keep the others from running
    }
  }
  cleanups.clear();
}

/** Removes a whole folder, synchronously (for cleanups); best effort. */
export function removeFolderNow(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * SIGINT and SIGTERM: clean up, say so in one line, exit 130 / 143 (128 + the signal's number, as
 * shells report it). A second signal while that runs exits at once.
 */
export function exitCleanlyOnSignals(write: (line: string) => void = (line) => process.stderr.write(line)): void {
  let ending = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (ending) process.exit(code);
    ending = true;
    cleanUpNow();
    write(`onnx-mlp: interrupted (${signal}); temp files removed\n`);
    process.exit(code);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
