import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// vega-datasets' cars.json (406 cars, 1970-1982; BSD-3-Clause, from the npm package vega-datasets 3.2.1).
const CARS = new URL('../examples/cars.json', import.meta.url);
const REGRESSION_LINE = /^test mse: (\S+) {2}mae: (\S+) {2}r2: (-?\d+\.\d{4}) \((\d+) rows\)$/m;
const EPOCH_LINE = /^epoch +(\d+)\/10 {2}loss (\S+) {2}val_loss (\S+)/gm;

type Car = Record<string, string | number | null>;

describe('regression that learns: vega-datasets cars with default settings', () => {
  let dir: string;
  let cars: Car[];

  beforeAll(async () => {
    dir = await makeTempDir();
    cars = JSON.parse(await readFile(CARS, 'utf8')) as Car[];
  });
  afterAll(() => removeDir(dir));

  // Name is one car's name (an identifier); cars without the label have nothing to learn from.
  async function train(label: string) {
    const args = ['--data', CARS.pathname, '--label', label, '--exclude', 'Name', '--drop-missing-label', '--runs-dir', label];
    const r = await runCli(['train', ...args], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^notice: label "\w+" has .+, so task auto trains regression; set --task multiclass to classify it instead$/m);
    const [, mse, , r2] = REGRESSION_LINE.exec(r.stdout)!;
    const epochs = [...r.stdout.matchAll(EPOCH_LINE)].map((m) => ({ loss: Number(m[2]), valLoss: Number(m[3]) }));
    const meta = decodeModel(await readFile(join(dir, label, '1', 'model.onnx'))).metadata;
    return { mse: Number(mse), r2: Number(r2), epochs, meta };
  }

  it('miles per gallon: R² ≥ 0.8; losses in the label units; the scaling in the metadata', async () => {
    const { r2, mse, epochs, meta } = await train('Miles_per_Gallon');
    expect(r2).toBeGreaterThanOrEqual(0.8);
    const trainMpg = cars.filter((c) => c.Miles_per_Gallon !== null).map((c) => c.Miles_per_Gallon as number);
    const mean = trainMpg.reduce((a, b) => a + b, 0) / trainMpg.length;
    const variance = trainMpg.reduce((a, b) => a + (b - mean) ** 2, 0) / trainMpg.length;
    const scaling = JSON.parse(meta.get(META.targetScaling)!) as { center: number[]; scale: number[] };
    // Fitted on the train split (70 % of the rows): near the whole column's moments.
    expect(Math.abs(scaling.center[0]! - mean)).toBeLessThan(1.5);
    expect(Math.abs(scaling.scale[0]! ** 2 / variance - 1)).toBeLessThan(0.15);
    // The first epoch starts near the label's variance (MPG²), not near 1 (standardised units); the last is near the test MSE.
    expect(epochs[0]!.loss).toBeGreaterThan(variance / 4);
    expect(epochs.at(-1)!.valLoss).toBeGreaterThan(mse / 3);
    expect(epochs.at(-1)!.valLoss).toBeLessThan(mse * 3);
    expect(JSON.parse(meta.get(META.training)!)).toMatchObject({ lossUnits: 'label', targetScaling: scaling });
  });

  it('horsepower (integers, 93 distinct: task auto makes it a regression): R² ≥ 0.8', async () => {
    const { r2 } = await train('Horsepower');
    expect(r2).toBeGreaterThanOrEqual(0.8);
  });
});
