import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../packages/cli/src/io/atomic-write.js';
import { ensureDir } from '../packages/cli/src/io/ensure-dir.js';
import { createRunFolder, highestRunNumber } from '../packages/cli/src/io/run-folder.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => removeDir(dir));

describe('writeFileAtomic', () => {
  it('replaces a file by default and leaves no temp file behind', async () => {
    const path = join(dir, 'a.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new contents');
    expect(await readFile(path, 'utf8')).toBe('new contents');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('with replace: false fails with EEXIST, keeps the old bytes and cleans up its temp file', async () => {
    const path = join(dir, 'model.onnx');
    await writeFile(path, 'precious');
    await expect(writeFileAtomic(path, new Uint8Array(1000), { replace: false })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('precious');
    expect(await readdir(dir)).toEqual(['model.onnx']);
  });

  it('with replace: false, of 8 concurrent writers to one new path exactly one wins and its bytes are whole', async () => {
    const path = join(dir, 'out.bin');
    const payloads = Array.from({ length: 8 }, (_, i) => new Uint8Array(1 << 20).fill(i + 1));
    const results = await Promise.allSettled(payloads.map((p) => writeFileAtomic(path, p, { replace: false })));
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    const bytes = await readFile(path);
    expect(bytes.length).toBe(1 << 20);
    expect(bytes.every((b) => b === winners[0]! + 1)).toBe(true);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });
});

describe('createRunFolder', () => {
  it('numbers past the highest numeric entry, ignoring non-numeric names', async () => {
    for (const name of ['3', '07', 'notes', '12abc']) await mkdir(join(dir, name));
    const run = await createRunFolder(dir);
    expect(run).toEqual({ path: join(dir, '4'), number: 4 });
    expect((await readdir(dir)).sort()).toEqual(['07', '12abc', '3', '4', 'notes']);
  });

  it('creates the runs folder itself, starting at 1', async () => {
    expect((await createRunFolder(join(dir, 'runs'))).number).toBe(1);
  });

  it('gives 10 concurrent runs 10 different folders, 1..10', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, () => createRunFolder(dir)));
    expect(runs.map((r) => r.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('highestRunNumber reads only plain decimal names', () => {
    expect(highestRunNumber(['1', '10', '9', '010', '-3', '2.5', 'x'])).toBe(10);
    expect(highestRunNumber([])).toBe(0);
  });
});

describe('ensureDir', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await ensureDir(deep);
    await ensureDir(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
  });

  it('fails with ENOTDIR under a file instead of looping', async () => {
    await writeFile(join(dir, 'file'), '');
    await expect(ensureDir(join(dir, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  // Node 20's mkdir(..., { recursive: true }) never returns for this path.
  it.runIf(existsSync('/proc/self'))('fails with ENOENT on /proc/<new> instead of spinning', { timeout: 5000 }, async () => {
    await expect(ensureDir('/proc/onnx-mlp-no-such-dir/x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
