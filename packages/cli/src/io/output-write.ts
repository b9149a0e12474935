import { open } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { onPath } from './fs-error.js';
import { checkOutputTarget, type OutputTarget } from './output-target.js';

/**
 * Writes a whole output (--out, --report) to where checkOutputTarget said it goes: a regular file
 * atomically (replacing it only with `replace`), a device or FIFO by writing through it, stdout
 * as a stream.
 */
export async function writeOutput(target: OutputTarget, data: Uint8Array, replace: boolean): Promise<void> {
  if (target.kind === 'stdout') {
    await new Promise<void>((done, fail) => process.stdout.write(data, (e) => (e ? fail(e) : done())));
    return;
  }
  if (target.kind === 'file') {
    await writeFileAtomic(target.path, data, { replace });
    return;
  }
  // 'w' on a device or FIFO opens it for writing (truncation means nothing there); never a rename.
  await onPath('write', target.path, async () => {
    const handle = await open(target.path, 'w');
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  });
}

/** Writes an output whose path was checked earlier: resolved again now, as the file system may have changed since. */
export async function writeOutputPath(path: string, data: Uint8Array, options: { replace: boolean; option: string }): Promise<void> {
  // force: true only classifies a regular file; whether it may be replaced is `replace`, applied by the write itself.
  await writeOutput(await checkOutputTarget(path, { force: true, option: options.option }), data, options.replace);
}
