import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type Model } from '@onnx-mlp/core';
import { readCardView, readModelCard, sealModel, type CardClassifierMetrics, type ModelCard } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { runCli } from './helpers/run-cli.js';
import { syntheticRecords, toCsv } from './helpers/tabular-models.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const run = promisify(execFile);
const DATA = ['--data', 'data.csv', '--label', 'species', '--exclude', 'id,note,approved,price'];
const SMALL = ['--hidden', '8', '--seed', '5', '--quiet'];

/** What coreutils' sha256sum prints for `file`: the reference the card's hashes must equal. */
async function sha256sum(file: string): Promise<string> {
  const { stdout } = await run('sha256sum', [file]);
  return stdout.split(/\s+/)[0]!;
}

function cardOf(model: Model): ModelCard {
  const card = readModelCard(model);
  expect(card).not.toBeNull();
  return card!;
}

describe('the model card: train writes it, --resume keeps it, card/inspect/verify read it', () => {
  let dir: string;
  let model: Model;
  let card: ModelCard;
  const path = (name: string) => join(dir, name);
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 180_000 });
  const load = async (name: string) => decodeModel(await readFile(path(name)));

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-card-');
    const records = syntheticRecords(300);
    await writeFile(path('data.csv'), toCsv(records.slice(0, 240)));
    await writeFile(path('test.csv'), toCsv(records.slice(240)));
    await writeFile(path('settings.json'), JSON.stringify({ card: { intendedUse: 'Sorting test records', license: 'MIT' } }));
    const trained = await cli([
      'train',
      ...DATA,
      '--test',
      'test.csv',
      ...SMALL,
      '--epochs',
      '2',
      '--owner',
      'Data team <data@example.org>',
      '--config',
      'settings.json',
      '--out',
      'model.onnx',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    model = await load('model.onnx');
    card = cardOf(model);
  }, 300_000);
  afterAll(() => removeDir(dir));

  it('records each input file with the byte size and SHA-256 that sha256sum and stat give', async () => {
    expect(card.data.files.map((f) => [f.role, f.file])).toEqual([
      ['data', 'data.csv'],
      ['test', 'test.csv'],
    ]);
    for (const f of card.data.files) {
      expect(f.sha256).toBe(await sha256sum(path(f.file)));
      expect(f.bytes).toBe((await stat(path(f.file))).size);
    }
  });

  it('holds the statements from the options and the config file, the seed, device, history and excluded columns', async () => {
    expect(card).toMatchObject({
      owner: 'Data team <data@example.org>',
      intendedUse: 'Sorting test records',
      license: 'MIT',
      seed: 5,
      device: 'cpu',
      toolkit: expect.stringMatching(/^onnx-mlp \d+\.\d+\.\d+/),
    });
    expect(card.limitations).toBeUndefined();
    expect(card.history.map((e) => e.epoch)).toEqual([1, 2]);
    const history = JSON.parse(await readFile(path('runs/1/history.json'), 'utf8')) as { loss: number; seconds: number }[];
    expect(card.trainingSeconds).toBeCloseTo(
      history.reduce((s, e) => s + e.seconds, 0),
      3,
    );
    expect(card.history.map((e) => e.loss)).toEqual(history.map((e) => e.loss));
    expect(card.data.excluded?.map((e) => e.column)).toEqual(['id', 'note', 'approved', 'price']);
    expect(Date.parse(card.createdAt)).toBeGreaterThan(Date.parse('2026-01-01'));
    // The configuration is the model's, not this machine's.
    expect(card.configuration).toMatchObject({ epochs: 2, seed: 5 });
    expect(card.configuration).not.toHaveProperty('runsDir');
    expect(card.configuration).not.toHaveProperty('out');
  });

  it("gives the test split's metrics exactly as evaluate prints them for the same rows", async () => {
    const evaluated = await cli(['evaluate', 'model.onnx', '--data', 'test.csv', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as CardClassifierMetrics & { classes: string[] };
    const test = card.metrics.test as CardClassifierMetrics;
    expect(test.rows).toBe(60);
    expect(test.accuracy).toBe(report.accuracy);
    expect(test.correct).toBe(report.correct);
    expect(test.confusion).toEqual(report.confusion);
    expect(test.perClass).toEqual(report.perClass);
    expect(test.macro).toEqual(report.macro);
    // Class counts per split add up to the rows of each split.
    const counts = card.data.classCounts!;
    expect(counts.test).toEqual(report.confusion.map((row) => row.reduce((a, b) => a + b, 0)));
    const training = JSON.parse(model.metadata.get(META.training)!) as { trainRows: number; valRows: number };
    expect(counts.train!.reduce((a, b) => a + b, 0)).toBe(training.trainRows);
    expect(counts.validation!.reduce((a, b) => a + b, 0)).toBe(training.valRows);
    expect((card.metrics.validation as CardClassifierMetrics).rows).toBe(training.valRows);
  });

  it('round-trips through encode/decode unchanged, and the doc_string is the readable card', () => {
    const again = decodeModel(encodeModel(model));
    expect(readModelCard(again)).toEqual(card);
    expect(readCardView(again)).toEqual(readCardView(model));
    expect(model.docString).toMatch(/^# Model card: multiclass MLP/);
    expect(model.docString).toContain('Data team <data@example.org>');
  });

  it('card prints the Markdown card with the figures, --json the facts, --html one page with the charts', async () => {
    const test = card.metrics.test as CardClassifierMetrics;
    const md = await cli(['card', 'model.onnx']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(`accuracy ${Number(test.accuracy.toPrecision(6))} (${test.correct} of 60)`);
    expect(md.stdout).toContain(`| data | data.csv | ${card.data.files[0]!.bytes} | ${await sha256sum(path('data.csv'))} |`);
    expect(md.stdout).toContain('| owner | Data team <data@example.org> |');
    expect(md.stdout).toContain('Checked now: **verified**');
    expect(md.stdout).toMatch(/\| city \| categorical \| most frequent "[a-z]+" \| one-hot, \d categories: /);

    const json = JSON.parse((await cli(['card', 'model.onnx', '--json'])).stdout) as { card: ModelCard; verification: { status: string } };
    expect(json.card).toEqual(card);
    expect(json.verification.status).toBe('ok');

    const html = (await cli(['card', 'model.onnx', '--html'])).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="loss-chart"');
    expect(html).toContain('id="confusion"');
    expect(html).not.toMatch(/<script|https?:\/\//);
    const cells = [...html.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(cells).toEqual(test.confusion.flat());
  });

  it('shows an unknown onnx_mlp.* entry (a later feature) generically, covered by the digest', async () => {
    const fairness = { groups: [{ group: 'a', rows: 10, accuracy: 0.9 }], threshold: 0.1 };
    const importance = { method: 'integrated-gradients', meanAbsAttribution: { income: 0.25, age: 0.5, city: 0.125 } };
    const metadata = new Map([
      ...model.metadata,
      ['onnx_mlp.fairness', JSON.stringify(fairness)],
      ['onnx_mlp.importance', JSON.stringify(importance)],
    ]);
    await writeFile(path('extra.onnx'), encodeModel({ ...model, metadata }));
    const md = await cli(['card', 'extra.onnx']);
    expect(md.stdout).toContain('## fairness (metadata onnx_mlp.fairness)');
    expect(md.stdout).toContain('| a | 10 | 0.9 |');
    expect(md.stdout).toContain('- **age**: 0.5');
    expect(md.stdout).toContain('Checked now: **FAILED**, its metadata changed');
    const html = (await cli(['card', 'extra.onnx', '--html'])).stdout;
    expect(html).toContain('<td>a</td><td>10</td><td>0.9</td>');
    // Global importances as bars, largest first.
    const bars = /<svg id="importance-chart"[^>]*>(.*?)<\/svg>/s.exec(html)?.[1] ?? '';
    expect([...bars.matchAll(/text-anchor="end">(\w+)</g)].map((m) => m[1])).toEqual(['age', 'income', 'city']);
  });

  it('verify fails and names the metadata when one card value changes', async () => {
    const edited = model.metadata.get(META.card)!.replace('"license":"MIT"', '"license":"GPL-3.0"');
    expect(edited).not.toBe(model.metadata.get(META.card));
    await writeFile(path('edited.onnx'), encodeModel({ ...model, metadata: new Map([...model.metadata, [META.card, edited]]) }));
    const verify = await cli(['verify', 'edited.onnx']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/edited\.onnx: its metadata changed since it was sealed/);
    expect((await cli(['verify', 'model.onnx'])).code).toBe(0);
  });

  it('verify on a model without a card or digest says so, not that it was tampered with', async () => {
    const metadata = new Map([...model.metadata].filter(([k]) => k !== META.card && k !== META.integrity));
    await writeFile(path('plain.onnx'), encodeModel({ ...model, metadata }));
    const verify = await cli(['verify', 'plain.onnx']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(
      /plain\.onnx: has no integrity digest and no model card \(not sealed by onnx-mlp train\); nothing to verify/,
    );
    expect(verify.stderr).not.toMatch(/changed|tamper/);
    // Sealed but without a card (as models sealed before cards existed): verified, with a note.
    const sealed = await sealModel({ ...model, metadata: new Map([...model.metadata].filter(([k]) => k !== META.card)) });
    await writeFile(path('cardless.onnx'), encodeModel(sealed));
    const cardless = await cli(['verify', 'cardless.onnx']);
    expect(cardless.code).toBe(0);
    expect(cardless.stdout).toMatch(/^cardless\.onnx: verified \(sha256 [0-9a-f]{64}\)\n$/);
    expect(cardless.stderr).toBe('note: cardless.onnx has no model card (metadata onnx_mlp.card); nothing is wrong with it\n');
  });

  it('inspect shows the card and verify in one line each, and the preprocessing in text and --json', async () => {
    const text = (await cli(['inspect', 'model.onnx'])).stdout;
    expect(text).toMatch(
      /\n {2}card +onnx-mlp \S+, \S+Z, cpu, 2 epochs in [\d.]+ s; 2 data files hashed; test accuracy [\d.]+; owner Data team/,
    );
    expect(text).toMatch(/\n {2}verify +verified \(sha256 [0-9a-f]{64}\); not signed/);
    expect(text).toMatch(/preprocessing \(metadata onnx_mlp.preprocessing: 4 raw columns/);
    const p = JSON.parse(model.metadata.get(META.preprocessing)!) as {
      columns: { name: string; kind: string; center?: number; scale?: number; vocabulary?: string[] }[];
    };
    const income = p.columns.find((c) => c.name === 'income')!;
    expect(text).toMatch(new RegExp(`income +numeric +mean [\\d.-]+ +standard \\(center ${Number(income.center!.toPrecision(6))}, scale`));
    const json = JSON.parse((await cli(['inspect', 'model.onnx', '--json'])).stdout) as {
      preprocessing: { name: string; kind: string; center?: number; vocabularySize?: number; firstValues?: string[] }[];
      verification: string;
    };
    expect(json.preprocessing.map((c) => [c.name, c.kind])).toEqual(p.columns.map((c) => [c.name, c.kind]));
    expect(json.preprocessing.find((c) => c.name === 'income')!.center).toBe(income.center);
    const city = p.columns.find((c) => c.kind === 'categorical')!;
    expect(json.preprocessing.find((c) => c.name === city.name)).toMatchObject({
      vocabularySize: city.vocabulary!.length,
      firstValues: city.vocabulary!.slice(0, 5),
    });
    expect(json.verification).toMatch(/^verified/);
  });

  it('--resume keeps the card: same statements and file hashes, the whole history, fresh metrics', async () => {
    const first = await cli(['train', ...DATA, ...SMALL, '--epochs', '1', '--owner', 'Resumer', '--runs-dir', 'resume-runs']);
    expect(first.code, first.stderr).toBe(0);
    const before = cardOf(await load('resume-runs/1/model.onnx'));
    const resumed = await cli(['train', '--resume', 'resume-runs/1', '--epochs', '3', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = cardOf(await load('resume-runs/1/model.onnx'));
    expect(after.owner).toBe('Resumer');
    expect(after.data.files).toEqual(before.data.files);
    expect(after.data.files[0]!.sha256).toBe(await sha256sum(path('data.csv')));
    expect(after.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(after.history[0]).toEqual(before.history[0]);
    expect(after.trainingSeconds).toBeGreaterThan(before.trainingSeconds);
    expect(after.configuration).toEqual({ ...before.configuration, epochs: 3 });
    expect((await cli(['verify', 'resume-runs/1/model.onnx'])).code).toBe(0);
  });

  it('--stream hashes the file as it streams it: the SHA-256 equals sha256sum', async () => {
    const streamed = await cli(['train', ...DATA, ...SMALL, '--epochs', '1', '--stream', '--runs-dir', 'stream-runs']);
    expect(streamed.code, streamed.stderr).toBe(0);
    const c = cardOf(await load('stream-runs/1/model.onnx'));
    expect(c.data.files).toEqual([
      { role: 'data', file: 'data.csv', bytes: (await stat(path('data.csv'))).size, sha256: await sha256sum(path('data.csv')) },
    ]);
    expect(c.metrics.test?.rows).toBeGreaterThan(0);
    expect(c.metrics.validation?.rows).toBeGreaterThan(0);
  });

  it('a blank statement and an unknown card key in --config are refused with one line', async () => {
    const blank = await cli(['train', ...DATA, ...SMALL, '--owner', '  ']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toMatch(/--owner/);
    await writeFile(path('bad.json'), JSON.stringify({ card: { author: 'x' } }));
    const bad = await cli(['train', ...DATA, ...SMALL, '--config', 'bad.json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /--config bad\.json: unknown key "card\.author"; the card keys are "owner", "intended-use", "limitations", "license"/,
    );
  });
});
