import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stratifiedSplit, trainTestSplit, type Dataset } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { runCli, type CliResult } from './run-cli.js';
import { makeTempDir, removeDir } from './temp-dir.js';

/** One generated row, every value as the CSV holds it (missing: ''). */
export type Row = Record<string, string>;

const COLORS = ['red', 'green', 'blue'] as const;
const COLOR_EFFECT: Record<string, number> = { red: -1, green: 0, blue: 1 };
const ZIP_EFFECT: Record<string, number> = { 10: 0.8, 20: -0.8, 30: 0 };

/**
 * A synthetic tabular set: x1 (normal, 5% missing), x2 (uniform 0..100, a wide scale), color
 * (categorical, 5% missing as "NA"), member (boolean yes/no), zip (codes 10/20/30 that look numeric),
 * and three labels made from one score: `label` (low/mid/high), `y` (a real target, noise 0.1),
 * `bin` (yes/no, noisy).
 */
export function syntheticRows(n: number, seed: number): Row[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x1 = rng.normal();
    const x2 = rng.uniform() * 100;
    const color = COLORS[rng.int(3)]!;
    const member = rng.uniform() < 0.5;
    const zip = ['10', '20', '30'][rng.int(3)]!;
    const score = x1 + (x2 - 50) / 25 + COLOR_EFFECT[color]! + (member ? 0.7 : -0.7) + ZIP_EFFECT[zip]!;
    const y = 2 * x1 - x2 / 50 + COLOR_EFFECT[color]! + (member ? 0.5 : 0) + ZIP_EFFECT[zip]! + 0.1 * rng.normal();
    return {
      x1: rng.uniform() < 0.05 ? '' : x1.toFixed(4),
      x2: x2.toFixed(2),
      color: rng.uniform() < 0.05 ? 'NA' : color,
      member: member ? 'yes' : 'no',
      zip,
      label: score < -1 ? 'low' : score < 1 ? 'mid' : 'high',
      y: y.toFixed(4),
      bin: score + 0.3 * rng.normal() > 0 ? 'yes' : 'no',
    };
  });
}

/** The rows as CSV with the given columns. */
export function toCsv(rows: readonly Row[], columns: readonly string[]): string {
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n')}\n`;
}

export async function writeCsv(dir: string, name: string, rows: readonly Row[], columns: readonly string[]): Promise<string> {
  await writeFile(join(dir, name), toCsv(rows, columns));
  return name;
}

/**
 * The documented split of `onnx-mlp train --data` (core's splitRows, packages/core/src/tabular/split-rows.ts), redone with
 * core alone: test rows first, then validation rows out of the rest, over a dataset whose one feature
 * is the row number; stratified by `classes` (class indices) for classifiers.
 */
export function documentedSplit(rows: number, valRows: number, testRows: number, seed: number, classes?: readonly number[]) {
  const all: Dataset = {
    features: Float32Array.from({ length: rows }, (_, i) => i),
    rows,
    cols: 1,
    targets: classes ? Float32Array.from(classes) : new Float32Array(rows),
  };
  const cut = (d: Dataset, keep: number) => (classes ? stratifiedSplit(d, keep, seed) : trainTestSplit(d, keep, seed));
  const [rest, test] = cut(all, rows - testRows);
  const [train, val] = cut(rest, rest.rows - valRows);
  const ids = (d: Dataset) => Array.from(d.features);
  return { train: ids(train), val: ids(val), test: ids(test) };
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/**
 * Runs `onnx-mlp train ...args --epochs 1` in a fresh folder holding `files`, then removes it;
 * returns what the process did and the folder's entries afterwards (sorted), so a test can check
 * that a refused run wrote nothing.
 */
export async function trainInFreshFolder(
  files: Readonly<Record<string, string>>,
  args: readonly string[],
): Promise<{ run: CliResult; entries: string[] }> {
  const cwd = await makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
    const run = await runCli(['train', ...args, '--epochs', '1'], { cwd });
    return { run, entries: (await readdir(cwd)).sort() };
  } finally {
    await removeDir(cwd);
  }
}
