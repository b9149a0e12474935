import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { lines, trainInFreshFolder } from './helpers/tabular-data.js';
import { checkFeatureMemory } from '../packages/cli/src/data/feature-memory.js';
import type { PreparedTables } from '@onnx-mlp/core/tabular';

/** `rows` rows of x (a number), c (a category) and y = label(i). */
const table = (rows: number, label: (i: number) => string) =>
  `x,c,y\n${Array.from({ length: rows }, (_, i) => `${(i % 13) / 3},${'pqr'[i % 3]},${label(i)}`).join('\n')}\n`;

const FILES: Record<string, string> = {
  // 50 distinct integers in 500 rows: a quantity.
  'many-ints.csv': table(500, (i) => String(i % 50)),
  // 4 distinct integers: codes.
  'few-ints.csv': table(500, (i) => String(i % 4)),
  // The same number written two ways.
  'ten.csv': table(200, (i) => ['10', '10.0', '20'][i % 3]!),
  // 7 of 300 labels missing, the first at data row 40 (line 42).
  'gaps.csv': table(300, (i) => (i % 40 === 0 && i > 0 && i <= 280 ? '' : i % 2 ? 'yes' : 'no')),
  'no-labels.csv': table(100, () => ''),
  'inf-label.csv': table(300, (i) => (i === 250 ? 'Infinity' : String(i / 7))),
  // A city among 400 (not an identifier: 1,200 rows), a customer e-mail (one per row: an identifier) and a label.
  'people.csv': `city,email,y\n${Array.from({ length: 1200 }, (_, i) => `town${(i * 37) % 400},p${i}@example.com,${i % 2 ? 'yes' : 'no'}`).join('\n')}\n`,
};

async function trainIn(dir: string, args: readonly string[]) {
  return runCli(['train', ...args, '--epochs', '1', '--hidden', '4'], { cwd: dir, timeoutMs: 120_000 });
}

async function metadata(dir: string, runs: string): Promise<ReadonlyMap<string, string>> {
  return decodeModel(await readFile(join(dir, runs, '1', 'model.onnx'))).metadata;
}

describe('train --data: a task and kinds a user can trust', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
  });
  afterAll(() => removeDir(dir));

  it('--task auto: 50 distinct integers are a regression, 4 are classes; a notice names the choice and the flag', async () => {
    const many = await trainIn(dir, ['--data', 'many-ints.csv', '--label', 'y', '--runs-dir', 'many']);
    expect(many.code).toBe(0);
    expect(lines(many.stdout)[0]).toBe(
      'notice: label "y" has 50 distinct integers in 500 rows, so task auto trains regression; set --task multiclass to classify it instead',
    );
    expect(JSON.parse((await metadata(dir, 'many')).get(META.spec)!)).toMatchObject({ task: 'regression' });
    const few = await trainIn(dir, ['--data', 'few-ints.csv', '--label', 'y', '--runs-dir', 'few']);
    expect(few.code).toBe(0);
    expect(lines(few.stdout)[0]).toBe(
      'notice: label "y" has 4 distinct integers in 500 rows, so task auto trains multiclass classification; set --task regression to predict it as a number instead',
    );
    expect(JSON.parse((await metadata(dir, 'few')).get(META.classNames)!)).toEqual(['0', '1', '2', '3']);
    // Asked for, no notice.
    const asked = await trainIn(dir, ['--data', 'many-ints.csv', '--label', 'y', '--task', 'multiclass', '--runs-dir', 'asked']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).not.toMatch(/notice/);
  });

  it('labels 10 and 10.0 are one class', async () => {
    const r = await trainIn(dir, ['--data', 'ten.csv', '--label', 'y', '--runs-dir', 'ten']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const meta = await metadata(dir, 'ten');
    expect(JSON.parse(meta.get(META.classNames)!)).toEqual(['10', '20']);
    expect(JSON.parse(meta.get(META.spec)!)).toMatchObject({ task: 'binary' });
  });

  it.each(['', '--stream'])(
    'rows with a missing label %s: refused with the count and the first line; --drop-missing-label drops and counts them',
    async (stream) => {
      const s = stream ? [stream] : [];
      const { run, entries } = await trainInFreshFolder(FILES, ['--data', 'gaps.csv', '--label', 'y', ...s]);
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([
        'onnx-mlp: label column "y" is missing in 7 rows (the first: gaps.csv, line 42): fill them in, or leave those rows out with --drop-missing-label',
      ]);
      expect(entries).toEqual(Object.keys(FILES).sort());
      const runs = `gaps${stream}`;
      const dropped = await trainIn(dir, ['--data', 'gaps.csv', '--label', 'y', '--drop-missing-label', '--runs-dir', runs, ...s]);
      expect(dropped.stderr).toBe('');
      expect(dropped.code).toBe(0);
      expect(dropped.stdout).toMatch(/^data: gaps\.csv \(300 rows, 7 without a label left out(, streamed)?\), binary label "y"/m);
      const facts = JSON.parse((await metadata(dir, runs)).get(META.training)!);
      expect(facts.trainRows + facts.valRows + facts.testRows).toBe(293);
      expect(facts.droppedUnlabelledRows).toBe(7);
    },
  );

  it('an identifier-like column is refused naming it and --exclude; excluded, the model records it; --max-categories caps the rest', async () => {
    const { run, entries } = await trainInFreshFolder(FILES, ['--data', 'people.csv', '--label', 'y']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'onnx-mlp: people.csv, column "email": has a different value in every one of the train rows: it looks like an identifier or free text, which a model must not carry in its vocabulary (nor can it generalise from it); leave it out with --exclude email',
    ]);
    expect(entries).toEqual(Object.keys(FILES).sort());
    const capped = await trainIn(dir, [
      '--data',
      'people.csv',
      '--label',
      'y',
      '--exclude',
      'email',
      '--max-categories',
      '50',
      '--runs-dir',
      'people',
    ]);
    expect(capped.stderr).toBe('');
    expect(capped.code).toBe(0);
    const meta = await metadata(dir, 'people');
    const city = JSON.parse(meta.get(META.preprocessing)!).columns[0];
    expect(city).toMatchObject({ name: 'city', kind: 'categorical', otherIndex: 49 });
    expect(city.vocabulary).toHaveLength(50);
    expect(city.vocabulary[49]).toBe('<other>');
    expect(capped.stdout).toContain(
      `notice: column "city" has ${49 + city.otherCategories} distinct values: the 49 most frequent are categories, the other ${city.otherCategories} share one "<other>" slot (--max-categories N)`,
    );
    expect(JSON.parse(meta.get(META.training)!).excludedColumns).toEqual([{ column: 'email', reason: 'excluded by the user' }]);
    const chosen = await trainIn(dir, ['--data', 'people.csv', '--label', 'y', '--features', 'city', '--runs-dir', 'chosen']);
    expect(chosen.code).toBe(0);
    expect(JSON.parse((await metadata(dir, 'chosen')).get(META.training)!).excludedColumns).toEqual([
      { column: 'email', reason: 'not among the chosen features' },
    ]);
  });

  it('a model that cannot fit (--hidden 100000000) is refused with the size it would need, nothing written', async () => {
    const { run, entries } = await trainInFreshFolder(FILES, ['--data', 'few-ints.csv', '--label', 'y', '--hidden', '100000000']);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([
      'onnx-mlp: the MLP 4-100000000-4 has 900,000,004 parameters: its weights need 3.4 GiB, more than the 2.0 GiB one .onnx file can hold, and training needs 13.4 GiB',
    ]);
    expect(entries).toEqual(Object.keys(FILES).sort());
  });

  it.each([
    { file: 'no-labels.csv', extra: [], message: 'onnx-mlp: no-labels.csv: label column "y" has no values: it is missing in all 100 rows' },
    {
      file: 'no-labels.csv',
      extra: ['--drop-missing-label'],
      message: 'onnx-mlp: no-labels.csv: label column "y" has no values: it is missing in all 100 rows',
    },
    {
      file: 'inf-label.csv',
      extra: ['--task', 'regression'],
      message: 'onnx-mlp: inf-label.csv, line 252, label column "y": "Infinity" is not a finite number (a regression label must be)',
    },
    {
      file: 'inf-label.csv',
      extra: [],
      message: 'onnx-mlp: inf-label.csv, line 252, label column "y": "Infinity" is not a finite number (a regression label must be)',
    },
  ])('$file $extra: one clear line, nothing written', async ({ file, extra, message }) => {
    const { run, entries } = await trainInFreshFolder(FILES, ['--data', file, '--label', 'y', ...extra]);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([message]);
    expect(entries).toEqual(Object.keys(FILES).sort());
  });
});

describe('in-memory features past a quarter of the machine memory', () => {
  // 1,000 train and 100 validation rows of one number and a 1,000-category column: 1,001 features, 4.4 MB.
  const prepared = {
    preprocessing: {
      columns: [
        { name: 'x', kind: 'numeric', impute: 0, imputeStrategy: 'mean', scaling: 'standard', center: 0, scale: 1 },
        {
          name: 'k',
          kind: 'categorical',
          vocabulary: Array.from({ length: 1000 }, (_, i) => `k${i}`),
          missing: 'most_frequent',
          missingIndex: 0,
        },
      ],
    },
    train: { raw: { rows: 1000 } },
    validation: { raw: { rows: 100 } },
  } as unknown as PreparedTables;

  it('are refused with the size they need and what to do instead; within it, pass', () => {
    expect(() => checkFeatureMemory(prepared, 16 * 2 ** 20)).toThrow(
      "the features of 1,100 train and validation rows (1001 a row, categories one-hot) need 5 MiB in memory, more than a quarter of this machine's 16 MiB: train with --stream, or with fewer categories (--max-categories)",
    );
    expect(() => checkFeatureMemory(prepared, 64 * 2 ** 20)).not.toThrow();
  });
});
