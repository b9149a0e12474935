import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OptionError } from '../errors.js';

/**
 * Checks, before any training, that `--out FILE` can be written: its folder exists, and the file
 * does not unless `force`. The final write is still no-replace, so a file that appears meanwhile
 * is not clobbered either.
 */
export async function checkOutputTarget(path: string, force: boolean, option = 'out'): Promise<void> {
  const dir = dirname(path);
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new OptionError(option, path, `folder ${dir} does not exist`);
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory()) throw new OptionError(option, path, 'is a folder; give a file name');
  if (fileStat && !force) throw new OptionError(option, path, 'file exists; add --force to replace it');
}
