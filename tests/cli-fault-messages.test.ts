import { execFile } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { writeFileAtomic } from '../packages/cli/src/io/atomic-write.js';
import { echo, oneLineMessage } from '../packages/cli/src/io/echo.js';
import { FileSystemError, fileError } from '../packages/cli/src/io/fs-error.js';
import { lockRunFolder } from '../packages/cli/src/io/run-lock.js';
import { fileSink } from '../packages/cli/src/predict/sink.js';
import { NoMount, mountTmpfs, type ScratchMount } from './helpers/scratch-mount.js';
import { CLI_PATH, runCli, type CliResult } from './helpers/run-cli.js';
import { syntheticRows, writeCsv } from './helpers/tabular-data.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Messages under faults (issue 11 item 6): errno errors name the path and the operation, echoed
// values are escaped and cut, ONNX Runtime's log stays quiet, an ORT error in predict names the rows.
const COLUMNS = ['x1', 'x2', 'color', 'member', 'zip', 'label'];
const TRAIN = ['train', '--data', 'd.csv', '--label', 'label', '--epochs', '1', '--hidden', '8', '--quiet'];
const PREDICT = ['predict', 'runs/1/model.onnx', '--data', 'd.csv', '--label', 'label'];

let dir: string;
const mounts: ScratchMount[] = [];
beforeAll(async () => {
  dir = await makeTempDir();
  await writeCsv(dir, 'd.csv', syntheticRows(120, 5), COLUMNS);
  const r = await runCli([...TRAIN, '--runs-dir', 'runs'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  for (const m of mounts) await m.unmount();
  await removeDir(dir);
});

/** Every file under `folder` whose name is a temp file's (`*.tmp-<pid>-<hex>`). */
async function tempFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true });
  return names.filter((n) => /\.tmp-\d+-[0-9a-f]+$/.test(n));
}

/** The run failed with exactly `line` on stderr (one line) and printed nothing after it. */
function expectOneLine(r: CliResult, line: string | RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

async function mount(name: string, options: { sizeKb: number; readOnly?: boolean }): Promise<ScratchMount | NoMount> {
  const m = await mountTmpfs(join(dir, name), options);
  if (!(m instanceof NoMount)) mounts.push(m);
  return m;
}

describe('file-system errors name the path and the operation', () => {
  it('ENOSPC: a full disk under the run folder and under predict --out; no temp file stays', async (ctx) => {
    const full = await mount('full', { sizeKb: 12 });
    if (full instanceof NoMount) return ctx.skip(full.reason);
    const train = await runCli([...TRAIN, '--runs-dir', 'full/runs'], { cwd: dir });
    expectOneLine(train, /^onnx-mlp: cannot write full\/runs\/1\/[a-z_]+\.(onnx|json|ckpt): no space left on device$/);
    await writeFile(join(dir, 'full', 'filler'), Buffer.alloc(8192)).catch(() => undefined);
    const predict = await runCli([...PREDICT, '--out', 'full/out.csv'], { cwd: dir });
    expectOneLine(predict, 'onnx-mlp: cannot write full/out.csv: no space left on device');
    expect(await tempFiles(join(dir, 'full'))).toEqual([]);
    expect((await readdir(join(dir, 'full'))).sort()).toEqual(['filler', 'runs']);
  }, 60_000);

  it('ENOSPC while taking the run folder lock: named, and no empty train.lock left behind', async (ctx) => {
    const full = await mount('full-lock', { sizeKb: 8 });
    if (full instanceof NoMount) return ctx.skip(full.reason);
    await mkdir(join(dir, 'full-lock', 'run'));
    await writeFile(join(dir, 'full-lock', 'filler'), Buffer.alloc(64 * 1024)).catch(() => undefined);
    const taken = await lockRunFolder(join(dir, 'full-lock', 'run')).catch((e: unknown) => e);
    expect((taken as Error).message).toBe(`cannot lock ${join(dir, 'full-lock', 'run', 'train.lock')}: no space left on device`);
    // An empty lock file would read as held by an unknown process, refusing every later run.
    expect(await readdir(join(dir, 'full-lock', 'run'))).toEqual([]);
  });

  it('EROFS: a read-only file system', async (ctx) => {
    const ro = await mount('ro', { sizeKb: 64, readOnly: true });
    if (ro instanceof NoMount) return ctx.skip(ro.reason);
    expectOneLine(
      await runCli([...PREDICT, '--out', 'ro/out.csv'], { cwd: dir }),
      'onnx-mlp: cannot write ro/out.csv: read-only file system',
    );
    expectOneLine(
      await runCli([...TRAIN, '--runs-dir', 'ro/runs'], { cwd: dir }),
      'onnx-mlp: cannot create folder ro/runs: read-only file system',
    );
  }, 60_000);

  it('EACCES: a folder the process may not write (root without CAP_DAC_OVERRIDE)', async () => {
    await mkdir(join(dir, 'locked'));
    await chmod(join(dir, 'locked'), 0o555);
    // Root passes every permission check through CAP_DAC_OVERRIDE; setpriv runs the CLI without it,
    // so a mode-0555 folder refuses it as it would refuse any user. setpriv is util-linux, in every Debian.
    const asUser = async (args: string[]): Promise<CliResult> => {
      const drop = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search', '--'];
      const command = process.getuid?.() === 0 ? ['setpriv', ...drop, process.execPath] : [process.execPath];
      return new Promise((resolve) => {
        execFile(command[0]!, [...command.slice(1), CLI_PATH, ...args], { cwd: dir }, (e, stdout, stderr) =>
          resolve({ code: e ? ((e.code as number) ?? -1) : 0, stdout, stderr }),
        );
      });
    };
    expectOneLine(await asUser([...PREDICT, '--out', 'locked/out.csv']), 'onnx-mlp: cannot write locked/out.csv: permission denied');
    expectOneLine(await asUser([...TRAIN, '--runs-dir', 'locked/runs']), 'onnx-mlp: cannot create folder locked/runs: permission denied');
    expect(await readdir(join(dir, 'locked'))).toEqual([]);
  }, 60_000);

  it('EMFILE: every descriptor in use when an output is opened (the CLI’s writers, in this process)', async () => {
    // Node's module loader alone needs ~107 descriptors at start-up, more than the CLI uses later, so a
    // lowered `ulimit -n` stops the CLI before its own code runs: exhaust the descriptors here instead.
    const held: number[] = [];
    let atomic: unknown;
    let sink: unknown;
    try {
      for (;;) held.push(openSync('/dev/null', 'r'));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('EMFILE');
      atomic = await writeFileAtomic(join(dir, 'emfile.json'), '{}').catch((x: unknown) => x);
      sink = await fileSink(join(dir, 'emfile.csv'), false).catch((x: unknown) => x);
    } finally {
      for (const fd of held) closeSync(fd);
    }
    const reason = 'too many open files in this process (raise the limit: ulimit -n)';
    expect(atomic).toBeInstanceOf(FileSystemError);
    expect((atomic as Error).message).toBe(`cannot write ${join(dir, 'emfile.json')}: ${reason}`);
    expect((sink as Error).message).toBe(`cannot write ${join(dir, 'emfile.csv')}: ${reason}`);
    expect(await tempFiles(dir)).toEqual([]);
  });

  it('fileError keeps the errno code (callers test EEXIST) and leaves other errors alone', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const mapped = fileError(enospc, 'write', 'runs/3/checkpoint.ckpt') as FileSystemError;
    expect(mapped.message).toBe('cannot write runs/3/checkpoint.ckpt: no space left on device');
    expect(mapped.code).toBe('ENOSPC');
    const plain = new TypeError('x');
    expect(fileError(plain, 'write', 'a')).toBe(plain);
  });
});

describe('values echoed in an error are escaped and cut', () => {
  it('echo: control characters, bytes that were not UTF-8 and direction overrides escaped; long values cut', () => {
    expect(echo('a\nb\tc\u0001\ufffd\u202e')).toBe('a\\nb\\tc\\u0001\\ufffd\\u202e');
    const long = echo(`${'é'.repeat(100)}`);
    expect(long).toBe(`${'é'.repeat(79)}… (100 characters)`);
    expect(echo('😀'.repeat(50)).startsWith('😀'.repeat(39))).toBe(true);
    expect(echo('😀'.repeat(50))).not.toMatch(/[\ud800-\udbff]…/);
  });

  it('oneLineMessage: quoted values in any module’s message, raw or JSON-escaped', () => {
    const raw = `bad.csv, line 6, column "x1": "abc\n\u0001${'Z'.repeat(200)}" is not a number`;
    expect(oneLineMessage(raw)).toBe(`bad.csv, line 6, column "x1": "abc\\n\\u0001${'Z'.repeat(68)}… (205 characters)" is not a number`);
    // A value echo() already cut is left as it is.
    expect(oneLineMessage(`--label "${echo(`a\n${'Q'.repeat(100)}`)}": not a column`)).toBe(
      `--label "a\\n${'Q'.repeat(76)}… (102 characters)": not a column`,
    );
    const json = `label ${JSON.stringify(`y\n${'Q'.repeat(100)}`)} is missing`;
    expect(oneLineMessage(json)).toBe(`label "y\\n${'Q'.repeat(76)}… (102 characters)" is missing`);
    expect(oneLineMessage('ONNX Runtime said:\n  line two')).toBe('ONNX Runtime said: line two');
  });

  it('a CSV cell with a newline, control bytes and 300 characters: predict prints one line with it escaped and cut', async () => {
    const rows = syntheticRows(10, 5);
    rows[3]!.x1 = `"abc\n\u0001\u202e${'Z'.repeat(300)}"`;
    await writeCsv(dir, 'bad.csv', rows, COLUMNS);
    const r = await runCli(['predict', 'runs/1/model.onnx', '--data', 'bad.csv', '--label', 'label'], { cwd: dir });
    expectOneLine(r, /^onnx-mlp: bad\.csv, line 5, column "x1": "abc\\n\\u0001\\u202eZ{62}… \(306 characters\)" is not a number/);
  }, 60_000);

  it('an option value with a newline and 200 characters', async () => {
    const r = await runCli(['train', '--data', 'd.csv', '--label', `lab\nel\u0007${'Q'.repeat(200)}`, '--quiet'], { cwd: dir });
    expectOneLine(r, /^onnx-mlp: --label "lab\\nel\\u0007Q{66}… \(207 characters\)": /);
  }, 60_000);
});

describe('ONNX Runtime under predict', () => {
  /** runs/1/model.onnx, edited by `edit` and written as `name` (predict then needs --no-verify). */
  async function editedModel(name: string, edit: (m: ReturnType<typeof decodeModel>) => void): Promise<string> {
    const model = decodeModel(await readFile(join(dir, 'runs', '1', 'model.onnx')));
    edit(model);
    await writeFile(join(dir, name), encodeModel(model));
    return name;
  }

  it('its own log lines are silent unless --verbose', async () => {
    // An initializer no node uses: ONNX Runtime logs a warning when it loads the model.
    const file = await editedModel('unused.onnx', (m) => {
      const initializers = m.graph.initializers as Map<string, unknown>;
      initializers.set('unused_extra', [...initializers.values()][0]!);
    });
    const quiet = await runCli(['predict', file, '--data', 'd.csv', '--label', 'label', '--no-verify'], { cwd: dir });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    const verbose = await runCli(['predict', file, '--data', 'd.csv', '--label', 'label', '--no-verify', '--verbose'], { cwd: dir });
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/Removing initializer 'unused_extra'/);
  }, 60_000);

  it('an error while running names the model, the data file and the rows of the batch', async () => {
    // A model whose input takes exactly 3 rows: the batch of rows 4-5 is refused by ONNX Runtime.
    const file = await editedModel('three-rows.onnx', (m) => {
      const input = m.graph.inputs[0]!;
      (m.graph.inputs as unknown[])[0] = { ...input, shape: [3, input.shape[1]] };
    });
    await writeCsv(dir, 'five.csv', syntheticRows(5, 9), COLUMNS);
    const r = await runCli(['predict', file, '--data', 'five.csv', '--label', 'label', '--no-verify', '--batch-size', '3'], { cwd: dir });
    expectOneLine(r, /^onnx-mlp: three-rows\.onnx: ONNX Runtime failed on rows 4-5 of five\.csv: .*Got: 2 Expected: 3/);
    expect(r.stdout.trim().split('\n')).toHaveLength(4); // the header and rows 1-3 went out before the failure
  }, 60_000);
});
