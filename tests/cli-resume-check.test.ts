import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { syntheticRows, writeCsv } from './helpers/tabular-data.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// --resume checks that checkpoint.ckpt belongs to the run folder's config.json (issue 11 item 5).
const ROWS = syntheticRows(200, 3);
const BASE = ['train', '--data', 'd.csv', '--label', 'bin', '--exclude', 'label,y', '--epochs', '1', '--hidden', '8', '--quiet'];

let dir: string;

/** Trains one epoch into runs/<n> with `extra` options; returns the folder. */
async function train(extra: string[]): Promise<string> {
  const r = await runCli([...BASE, ...extra, '--runs-dir', 'runs'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return /run folder: (\S+)/.exec(r.stdout)![1]!;
}

/** `folder`'s config.json after `edit`. */
async function editConfig(folder: string, edit: (c: Record<string, any>) => void): Promise<void> {
  const config = JSON.parse(await readFile(join(dir, folder, 'config.json'), 'utf8'));
  edit(config);
  await writeFile(join(dir, folder, 'config.json'), JSON.stringify(config));
}

/** A fresh copy of the base run (config.json and checkpoint.ckpt); the checkpoint is then replaced or the config edited. */
async function resume(folder: string): Promise<{ code: number; line: string; checkpoint: Buffer }> {
  const before = await readFile(join(dir, folder, 'checkpoint.ckpt'));
  const r = await runCli(['train', '--resume', folder, '--epochs', '2', '--quiet'], { cwd: dir });
  const after = await readFile(join(dir, folder, 'checkpoint.ckpt'));
  expect(after.equals(before), 'the checkpoint is left as it was').toBe(true);
  return { code: r.code, line: r.stderr, checkpoint: after };
}

let base: string;
beforeAll(async () => {
  dir = await makeTempDir();
  await writeCsv(dir, 'd.csv', ROWS, ['x1', 'x2', 'color', 'member', 'zip', 'label', 'y', 'bin']);
  base = await train([]);
}, 60_000);
afterAll(async () => {
  await removeDir(dir);
});

/** A copy of the base run's config.json and checkpoint in a new folder. */
async function copyOfBase(name: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, name));
  for (const f of ['config.json', 'checkpoint.ckpt']) await copyFile(join(dir, base, f), join(dir, name, f));
  return name;
}

describe('--resume refuses a checkpoint that is not the run folder’s own, naming the first difference', () => {
  it('the architecture: a checkpoint of a run with other hidden widths', async () => {
    const other = await train(['--hidden', '4']);
    const folder = await copyOfBase('arch');
    await copyFile(join(dir, other, 'checkpoint.ckpt'), join(dir, folder, 'checkpoint.ckpt'));
    const r = await resume(folder);
    expect(r.code).toBe(1);
    expect(r.line).toBe(
      `onnx-mlp: --resume ${folder}: checkpoint.ckpt is not this run's (architecture: hidden is [4] in the checkpoint, [8] in config.json); it was copied from another run or the files were edited\n`,
    );
  }, 60_000);

  it('the optimizer: a checkpoint of a run with another learning rate', async () => {
    const other = await train(['--lr', '0.01']);
    const folder = await copyOfBase('opt');
    await copyFile(join(dir, other, 'checkpoint.ckpt'), join(dir, folder, 'checkpoint.ckpt'));
    const r = await resume(folder);
    expect(r.code).toBe(1);
    expect(r.line).toMatch(/\(optimizer: learningRate is 0\.01 in the checkpoint, 0\.001 in config\.json\)/);
  }, 60_000);

  it('the task and the columns, as config.json records them', async () => {
    const task = await copyOfBase('task');
    await editConfig(task, (c) => {
      c.spec.task = 'regression';
      c.task = 'regression';
    });
    expect((await resume(task)).line).toMatch(/\(task: "binary" in the checkpoint, "regression" in config\.json\)/);
    const columns = await copyOfBase('columns');
    await editConfig(columns, (c) => {
      c.preprocessing.columns[1].name = 'x9';
    });
    const r = await resume(columns);
    expect(r.code).toBe(1);
    expect(r.line).toMatch(/\(columns: \["x1","x2",.*\] in the checkpoint, \["x1","x9",.*\] in config\.json\)/);
  }, 60_000);

  it('resumes when they agree (the check is not a refusal of every resume)', async () => {
    const folder = await copyOfBase('same');
    const r = await runCli(['train', '--resume', folder, '--epochs', '2', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});

describe('a corrupt config.json is named', () => {
  const cases: [string, string, RegExp][] = [
    ['cut short', '{"epochs": 1, "batchSize"', /not JSON: /],
    ['not an object', 'null', /not a JSON object/],
    [
      'a field of the wrong type',
      '{"epochs": 1, "batchSize": "x\\n\\u0001y", "seed": 1}',
      /batchSize is "x\\n\\u0001y", not a positive integer/,
    ],
    ['an impossible spec', null as never, /spec/],
    // Found by the fault-injection fuzzer: a renamed key left dataset.features undefined, and core failed on it.
    ['a data option missing', undefined as never, /dataset\.features is missing, not null or a list of column names/],
  ];
  for (const [what, text, reason] of cases) {
    it(what, async () => {
      const folder = await copyOfBase(`corrupt-${what.replace(/\W/g, '')}`);
      if (text === null) await editConfig(folder, (c) => (c.spec.hidden = [0]));
      else if (text === undefined) await editConfig(folder, (c) => delete c.dataset.features);
      else await writeFile(join(dir, folder, 'config.json'), text);
      const r = await resume(folder);
      expect(r.code).toBe(1);
      expect(r.line.split('\n')).toHaveLength(2); // one line, then the end
      expect(r.line).toMatch(new RegExp(`^onnx-mlp: ${folder}/config\\.json is corrupt \\(`));
      expect(r.line).toMatch(reason);
    }, 60_000);
  }
});
