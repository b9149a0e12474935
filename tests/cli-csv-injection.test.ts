import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spreadsheetSafe } from '../packages/cli/src/predict/spreadsheet-safe.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// Issue 11 item 7: predict's CSV is safe to open in a spreadsheet (OWASP CSV injection).
describe('spreadsheetSafe', () => {
  it('prefixes a single quote to text starting with = + - @ tab or CR, and leaves numbers and other text alone', () => {
    expect(['=1+2', '+cmd', '-x', '@SUM(A1)', '\tx', '\r=1', '-', '+'].map(spreadsheetSafe)).toEqual([
      "'=1+2",
      "'+cmd",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      "'\r=1",
      "'-",
      "'+",
    ]);
    expect(['-1', '+2.5', '-1e3', 'cat', 'a=b', '', '1'].map(spreadsheetSafe)).toEqual(['-1', '+2.5', '-1e3', 'cat', 'a=b', '', '1']);
  });
});

let dir: string;
let model: string;
const LABELS = ['=HYPERLINK("http://x","y")', '@cmd', '+1+1', '-2', 'plain'];
beforeAll(async () => {
  dir = await makeTempDir();
  // One feature that tells the classes apart; the labels are what a hostile file would hold.
  const lines = ['x,label'];
  for (let i = 0; i < 200; i++) lines.push(`${i % LABELS.length},"${LABELS[i % LABELS.length]!.replace(/"/g, '""')}"`);
  await writeFile(join(dir, 'train.csv'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'rows.csv'), `x\n${LABELS.map((_, i) => i).join('\n')}\n`);
  const run = await runCli(
    ['train', '--data', 'train.csv', '--label', 'label', '--epochs', '60', '--lr', '0.05', '--quiet', '--out', 'model.onnx'],
    { cwd: dir, timeoutMs: 120_000 },
  );
  expect(run.code, run.stderr).toBe(0);
  model = join(dir, 'model.onnx');
}, 150_000);
afterAll(async () => {
  await removeDir(dir);
});

/** Each row's label cell: what comes before its five probabilities. */
const labelCells = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.split(',').slice(0, -LABELS.length).join(','));

describe('predict --out x.csv', () => {
  it('escapes class names that a spreadsheet would run (numbers untouched); --raw-csv writes them as they are', async () => {
    const safe = await runCli(['predict', model, '--data', 'rows.csv', '--out', 'x.csv'], { cwd: dir });
    expect(safe.code, safe.stderr).toBe(0);
    const written = await readFile(join(dir, 'x.csv'), 'utf8');
    // Rows x = 0..4 are the classes in LABELS order (the model learnt them exactly).
    expect(labelCells(written)).toEqual([`"'=HYPERLINK(""http://x"",""y"")"`, "'@cmd", "'+1+1", '-2', 'plain']);
    // The header's cells start with p_, so they stay as they are.
    expect(written.split('\n')[0]).toBe('label,p_+1+1,p_-2,"p_=HYPERLINK(""http://x"",""y"")",p_@cmd,p_plain');

    const raw = await runCli(['predict', model, '--data', 'rows.csv', '--out', 'raw.csv', '--raw-csv'], { cwd: dir });
    expect(raw.code, raw.stderr).toBe(0);
    const rawText = await readFile(join(dir, 'raw.csv'), 'utf8');
    expect(labelCells(rawText)).toEqual([`"=HYPERLINK(""http://x"",""y"")"`, '@cmd', '+1+1', '-2', 'plain']);
    expect(
      rawText
        .split('\n')
        .slice(1)
        .map((r) => r.split(',').slice(-LABELS.length).join(',')),
    ).toEqual(
      written
        .split('\n')
        .slice(1)
        .map((r) => r.split(',').slice(-LABELS.length).join(',')),
    );
  });
});
