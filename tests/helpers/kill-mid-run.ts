import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TrainingState } from '@onnx-mlp/core';
import { CLI_PATH, waitFor } from './run-cli.js';

/** The epochs a run folder's history.json records (0 before the first is written). */
export async function epochsIn(folder: string): Promise<number> {
  try {
    return (JSON.parse(await readFile(join(folder, 'history.json'), 'utf8')) as unknown[]).length;
  } catch {
    return 0;
  }
}

/**
 * Starts `onnx-mlp ...args` in `cwd`, waits until `folder` records a first epoch, lets it run
 * `afterMs` into the next and kills it with SIGKILL: the signal it died of and the epochs recorded.
 */
export async function killMidEpoch(
  args: readonly string[],
  options: { cwd: string; folder: string; afterMs: number },
): Promise<{ signal: NodeJS.Signals | null; epochs: number }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await waitFor(async () => (await epochsIn(options.folder)) >= 1, 60_000);
  await new Promise((r) => setTimeout(r, options.afterMs));
  child.kill('SIGKILL');
  return { signal: await exited, epochs: await epochsIn(options.folder) };
}

/** Every parameter of `resumed` equals `whole`'s bit for bit. */
export function expectSameParameters(resumed: TrainingState, whole: TrainingState): void {
  for (const [name, t] of whole.parameters) {
    expect(
      Buffer.from((resumed.parameters.get(name)!.data as Float32Array).buffer).equals(Buffer.from((t.data as Float32Array).buffer)),
      name,
    ).toBe(true);
  }
}
