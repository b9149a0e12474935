import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.js';
import { MissingTool, requireTool, skipIfMissing } from './helpers/require-tool.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

let dir: string;
let browser: Browser | MissingTool | undefined;
beforeAll(async () => {
  dir = await makeTempDir();
  browser = await requireTool('Chromium', launchChromium);
}, 120_000);
afterAll(async () => {
  if (browser && !(browser instanceof MissingTool)) await browser.close();
  await removeDir(dir);
});

// The report rendered by a real browser: the curves must be drawn from this run's history and the
// heat map from its test predictions, not merely present in the HTML.
it('train --report writes a self-contained HTML report whose curves and confusion matrix render in Chromium', async (ctx) => {
  const r = await runCli(['train', '--epochs', '3', '--hidden', '32', '--quiet', '--report', 'report.html'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  skipIfMissing(ctx, browser);
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  expect(html).not.toMatch(/<script|src="http|href="http/); // self-contained, nothing fetched
  const history = JSON.parse(await readFile(join(dir, 'runs', '1', 'history.json'), 'utf8')) as Array<{
    loss: number;
    valAccuracy: number;
  }>;

  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  const series = await page.$$eval('polyline.series', (lines) =>
    lines.map((l) => ({
      name: l.getAttribute('data-series'),
      points: (l.getAttribute('points') ?? '').trim().split(/\s+/).length,
      length: (l as SVGPolylineElement).getTotalLength(),
    })),
  );
  expect(series.map((s) => s.name)).toEqual(['loss', 'val_loss', 'accuracy', 'val_accuracy']);
  for (const s of series) {
    expect(s.points).toBe(3);
    expect(s.length).toBeGreaterThan(50); // drawn with real extent, not collapsed to a point
  }
  // The loss curve goes down as the history says: its last point is lower on screen (larger y).
  const ys = await page.$eval('polyline[data-series="loss"]', (l) =>
    (l.getAttribute('points') ?? '')
      .trim()
      .split(/\s+/)
      .map((p) => Number(p.split(',')[1])),
  );
  expect(ys[2]! > ys[0]!).toBe(history[2]!.loss < history[0]!.loss);

  const cells = await page.$$eval('#confusion g.cell', (gs) => gs.map((g) => Number(g.getAttribute('data-count'))));
  expect(cells).toHaveLength(100);
  const total = cells.reduce((a, b) => a + b, 0);
  const diagonal = cells.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
  expect(total).toBe(2000);
  expect(diagonal / total).toBeCloseTo(history[2]!.valAccuracy, 10); // the heat map's accuracy is the run's
  const box = await page.$eval('#confusion', (e) => e.getBoundingClientRect().toJSON() as DOMRect);
  expect(box.width).toBeGreaterThan(300);
  expect(await page.textContent('#results')).toMatch(/test accuracy/);
  await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
  await page.close();
}, 120_000);

it('--report onto an existing file without --force exits 1 and trains nothing', async () => {
  const before = await readFile(join(dir, 'report.html'));
  const r = await runCli(['train', '--epochs', '1', '--report', 'report.html', '--runs-dir', 'other'], { cwd: dir });
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe('onnx-mlp: --report report.html: file exists; add --force to replace it');
  expect(await readFile(join(dir, 'report.html'))).toEqual(before);
});
