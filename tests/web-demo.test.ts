import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeCheckpoint } from '@onnx-mlp/core';
import { loadModel } from '@onnx-mlp/web';
import * as ortNode from 'onnxruntime-node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { launchChromium } from './helpers/chromium.js';
import { launchChromiumWithWebGpu } from './helpers/chromium-webgpu.js';
import { base64ToFloats, countFrames, floatsToBase64, frameRate, screenshotOf } from './helpers/demo-page.js';
import { serveBuiltDemo, type DemoSite } from './helpers/demo-site.js';
import { mnistTestSplit } from './helpers/mnist-test-split.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));
const CUSTOMERS = fileURLToPath(new URL('../examples/customers.csv', import.meta.url));

let site: DemoSite;
let browser: Browser | string;
beforeAll(async () => {
  [site, browser] = await Promise.all([serveBuiltDemo(), launchChromiumWithWebGpu()]);
}, 600_000);
afterAll(async () => {
  if (typeof browser !== 'string') await browser.close();
  await site?.close();
});

/** A fresh page on the built demo (in `on`, by default the WebGPU-enabled browser), collecting uncaught page errors. */
async function openDemo(on: Browser | string = browser): Promise<{ page: Page; errors: string[] }> {
  if (typeof on === 'string') throw new Error(on);
  const page = await on.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url);
  return { page, errors };
}

describe('the demo site, built and served on 127.0.0.1, in Chromium', () => {
  it('is cross-origin isolated, so ORT may use threads', async () => {
    const { page } = await openDemo();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.close();
  });

  it('runs the shipped model like onnxruntime-node on all 2,000 test digits (same argmax, probabilities within 1e-5)', async () => {
    const test = await mnistTestSplit();
    const session = await ortNode.InferenceSession.create(MNIST_MODEL);
    const out = await session.run({ input: new ortNode.Tensor('float32', test.features, [test.rows, test.cols]) });
    const expected = out.probabilities!.data as Float32Array;
    await session.release();

    const { page, errors } = await openDemo();
    const got = await page.evaluate(
      async ({ pixels, rows }) => {
        const demo = (window as unknown as { onnxMlpDemo: any }).onnxMlpDemo;
        const bytes = Uint8Array.from(atob(pixels), (c) => c.charCodeAt(0));
        const model = await demo.loadModel(demo.mnistModelUrl, { wasmPaths: demo.ortFiles('wasm') });
        const result = await model.predictArrays(new Float32Array(bytes.buffer), rows);
        const probabilities = new Uint8Array(result.probabilities.buffer, result.probabilities.byteOffset, result.probabilities.byteLength);
        let binary = '';
        for (let i = 0; i < probabilities.length; i += 8192) binary += String.fromCharCode(...probabilities.subarray(i, i + 8192));
        return { backend: model.backend as string, labels: result.labels as number[], probabilities: btoa(binary) };
      },
      { pixels: floatsToBase64(test.features), rows: test.rows },
    );
    expect(got.backend).toBe('wasm');
    const probabilities = base64ToFloats(got.probabilities);
    expect(probabilities.length).toBe(test.rows * 10);
    let maxDiff = 0;
    let sameArgmax = 0;
    for (let r = 0; r < test.rows; r++) {
      let best = 0;
      for (let k = 0; k < 10; k++) {
        maxDiff = Math.max(maxDiff, Math.abs(probabilities[r * 10 + k]! - expected[r * 10 + k]!));
        if (expected[r * 10 + k]! > expected[r * 10 + best]!) best = k;
      }
      if (Number(got.labels[r]) === best) sameArgmax++;
    }
    expect(sameArgmax).toBe(test.rows);
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('classifies a stroke drawn with the mouse on the pad, after MNIST-style preprocessing', async () => {
    const { page, errors } = await openDemo();
    const pad = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width / 2 + 4, pad.y + pad.height * 0.85, { steps: 25 });
    await page.mouse.up();
    await page.waitForSelector('#digit-prediction[data-label]');
    const shown = await page.textContent('#digit-prediction');
    expect(shown).toBe('1'); // a vertical bar is a one, if the pad scales and centres it like MNIST
    const bars = await page.$$eval('#digit-bars .bar-row', (rows) =>
      rows.map((r) => ({ digit: r.getAttribute('data-class'), p: Number(r.getAttribute('data-probability')) })),
    );
    expect(bars.map((b) => b.digit)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(bars.reduce((s, b) => s + b.p, 0)).toBeCloseTo(1, 4);
    expect(bars.reduce((a, b) => (b.p > a.p ? b : a)).digit).toBe(shown);
    // What the model saw: ink scaled into a 20-pixel box, centre of mass at the centre of 28×28.
    const seen = await page.$eval('#pad-input', (c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
      let top = 28,
        bottom = -1,
        mass = 0,
        mx = 0,
        my = 0;
      for (let i = 0; i < 784; i++) {
        const v = data[i * 4]! / 255;
        const x = i % 28,
          y = Math.floor(i / 28);
        if (v > 0) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
        mass += v;
        mx += v * x;
        my += v * y;
      }
      return { height: bottom - top + 1, cx: mx / mass, cy: my / mass };
    });
    expect(seen.height).toBe(20);
    expect(Math.abs(seen.cx - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(seen.cy - 13.5)).toBeLessThanOrEqual(1);
    await screenshotOf(page, '#digit-panel', 'digit-pad');
    await page.click('#pad-clear');
    await expect.poll(() => page.textContent('#digit-prediction')).toBe('—');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the integrated-gradients heat map of the drawn digit: its sum is the probability minus the blank pad's (within 1 %), as onnxruntime-node gives them", async () => {
    const { page, errors } = await openDemo();
    const pad = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(pad.x + pad.width * 0.3, pad.y + pad.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width * 0.7, pad.y + pad.height * 0.2, { steps: 10 });
    await page.mouse.move(pad.x + pad.width * 0.4, pad.y + pad.height * 0.85, { steps: 20 });
    await page.mouse.up();
    await page.waitForSelector('#pad-heatmap[data-attribution-sum]');
    const map = await page.$eval('#pad-heatmap', (c) => ({ ...(c as HTMLCanvasElement).dataset }));
    const shown = await page.textContent('#digit-prediction');
    expect(map.class).toBe(shown);
    const probability = Number(await page.getAttribute(`#digit-bars .bar-row[data-class="${shown}"]`, 'data-probability'));
    expect(Number(map.output)).toBeCloseTo(probability, 6);
    // The baseline is the blank pad: the model's probability of that digit on 784 zeros.
    const session = await ortNode.InferenceSession.create(MNIST_MODEL);
    const blank = await session.run({ input: new ortNode.Tensor('float32', new Float32Array(784), [1, 784]) });
    await session.release();
    const atBlank = (blank.probabilities!.data as Float32Array)[Number(shown)]!;
    expect(Number(map.baselineOutput)).toBeCloseTo(atBlank, 5);
    const change = Number(map.output) - Number(map.baselineOutput);
    expect(Math.abs(change)).toBeGreaterThan(0.1);
    expect(Math.abs(Number(map.attributionSum) - change)).toBeLessThan(0.01 * Math.abs(change));
    await screenshotOf(page, '#digit-panel', 'digit-pad-heat-map');
    await page.click('#pad-clear');
    await expect.poll(() => page.$eval('#pad-heatmap', (c) => (c as HTMLCanvasElement).dataset.attributionSum ?? null)).toBe(null);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so on the pad when the digit model cannot be fetched (404), and the rest of the page works', async () => {
    if (typeof browser === 'string') throw new Error(browser);
    const page = await browser.newPage();
    await page.route('**/mnist-mlp*.onnx', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(site.url);
    await expect.poll(() => page.isVisible('#digit-message')).toBe(true);
    expect(await page.textContent('#digit-message')).toMatch(/Could not load the digit model: .*404/);
    await page.setInputFiles('#viewer-file', MNIST_MODEL);
    await page.waitForSelector('#viewer-info [data-section="layers"]');
    await page.close();
  });

  it('shows any .onnx in the model viewer, and says so when a file is not ONNX', async () => {
    const { page, errors } = await openDemo();
    await page.setInputFiles('#viewer-file', {
      name: 'notes.onnx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not a model\n'),
    });
    await expect.poll(() => page.isVisible('#viewer-message')).toBe(true);
    expect(await page.textContent('#viewer-message')).toMatch(/^notes\.onnx: .*(ONNX|onnx|decode|parse)/);
    expect(await page.$$('#viewer-info section')).toHaveLength(0);
    await page.setInputFiles('#viewer-file', MNIST_MODEL); // still usable after the bad file
    await page.waitForSelector('#viewer-info [data-section="layers"]');
    expect(await page.isVisible('#viewer-message')).toBe(false);
    const layerRows = await page.$$eval('#viewer-info [data-section="layers"] tbody tr', (rows) => rows.map((r) => r.textContent));
    expect(layerRows).toHaveLength(3);
    expect(await page.textContent('#viewer-info [data-section="classes"]')).toContain('0, 1, 2, 3, 4, 5, 6, 7, 8, 9');
    expect(await page.textContent('#viewer-info [data-section="training"]')).toMatch(/testAccuracy\s*0\.943(?!\d)/); // models/mnist-mlp.onnx's recorded test accuracy
    await screenshotOf(page, '#viewer-panel', 'model-viewer');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('training in the page, in the package worker', () => {
  let dir: string;
  let cliAccuracy: number;
  beforeAll(async () => {
    dir = await makeTempDir();
    const r = await runCli(
      [
        'train',
        '--data',
        CUSTOMERS,
        '--label',
        'churn',
        '--exclude',
        'customer_id',
        '--hidden',
        '32,16',
        '--epochs',
        '30',
        '--seed',
        '42',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    cliAccuracy = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { testAccuracy: number }).testAccuracy;
  }, 120_000);
  afterAll(async () => {
    await removeDir(dir);
  });

  it("trains customers.csv to the CLI's test accuracy (within 1 point) while the page keeps painting; the downloaded model.onnx predicts like the page in onnxruntime-node", async () => {
    const { page, errors } = await openDemo();
    await page.click('#train-sample');
    await page.waitForSelector('#train-options:not([hidden])');
    expect(await page.inputValue('#train-label')).toBe('churn');
    expect(await page.isChecked('#train-columns input[value="customer_id"]')).toBe(false); // an identifier, left out
    await page.fill('#train-hidden', '32,16');
    await page.fill('#train-epochs', '30');
    await page.fill('#train-seed', '42');
    // Painting while idle, then while training: the worker trains, so the main thread keeps drawing
    // frames at a similar rate (measured relative to idle: the machine may be loaded). Training on
    // the main thread would stop frames for the whole run.
    const idleFrames = await countFrames(page);
    await page.waitForTimeout(1500);
    const idle = frameRate(await idleFrames());
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    const frames = await countFrames(page);
    const started = Date.now();
    await page.click('#train-start');
    await page.waitForSelector('#train-result:not([hidden])', { timeout: 60_000 });
    const trainingMs = Date.now() - started;
    const painting = frameRate(await frames());
    expect(painting.perSecond).toBeGreaterThan(idle.perSecond / 2);
    expect(painting.longestGapMs).toBeLessThan(trainingMs / 2);
    expect(workers.some((url) => /\/train-worker[^/]*\.js$/.test(url))).toBe(true); // the package's worker trained

    const metrics = JSON.parse((await page.getAttribute('#train-test-accuracy', 'data-metrics'))!) as { accuracy: number };
    expect(Math.abs(metrics.accuracy - cliAccuracy)).toBeLessThanOrEqual(0.01 + 1e-12);
    expect(await page.$$('#train-epochs-table tbody tr')).toHaveLength(30);
    const lossPoints = await page.$eval(
      '#train-chart polyline[data-series="loss"]',
      (l) => l.getAttribute('points')!.trim().split(/\s+/).length,
    );
    expect(lossPoints).toBe(30);

    await page.fill('#try-row', '2');
    await page.click('#try-predict');
    await expect.poll(() => page.textContent('#try-output')).toMatch(/actual: yes/); // row 2 of customers.csv churned
    const record = JSON.parse((await page.textContent('#try-record'))!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['age', 'monthly_fee', 'plan', 'region', 'support_calls', 'autopay']); // the model's inputs
    const inPage = JSON.parse((await page.getAttribute('#try-output', 'data-prediction'))!) as {
      label: string;
      probabilities: Record<string, number>;
    };
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    expect(download.suggestedFilename()).toBe('model.onnx');
    const modelPath = (await download.path())!;
    const model = await loadModel(await readFile(modelPath), { runtime: ortNode as never });
    const [inNode] = await model.predict([record]);
    expect(inNode!.label).toBe(inPage.label);
    for (const name of ['no', 'yes'])
      expect(Math.abs(inNode!.probabilities![name]! - inPage.probabilities[name]!)).toBeLessThanOrEqual(1e-5);
    await model.dispose();
    const [checkpoint] = await Promise.all([page.waitForEvent('download'), page.click('#download-checkpoint')]);
    expect(decodeCheckpoint(await readFile((await checkpoint.path())!)).epoch).toBe(30);
    await screenshotOf(page, '#train-panel', 'train-csv');
    // The trained model in the viewer: its preprocessing, one row per input column.
    await page.setInputFiles('#viewer-file', {
      name: 'model.onnx',
      mimeType: 'application/octet-stream',
      buffer: await readFile(modelPath),
    });
    await page.waitForSelector('#viewer-info [data-section="preprocessing"]');
    const columns = await page.$$eval('#viewer-info [data-section="preprocessing"] tbody tr td:first-child', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(columns.sort()).toEqual(['age', 'autopay', 'monthly_fee', 'plan', 'region', 'support_calls']);
    expect(await page.textContent('#viewer-info [data-section="classes"]')).toContain('no, yes');
    await screenshotOf(page, '#viewer-panel', 'model-viewer-trained');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('cancel stops training and offers no model', async () => {
    const { page } = await openDemo();
    await page.click('#train-sample');
    await page.fill('#train-epochs', '5000');
    await page.click('#train-start');
    await page.waitForSelector('#train-epochs-table tbody tr');
    await page.click('#train-cancel');
    await expect.poll(() => page.textContent('#train-status')).toBe('cancelled');
    expect(await page.textContent('#train-message')).toMatch(/cancelled/);
    expect(await page.isVisible('#train-result')).toBe(false);
    expect(await page.isVisible('#download-model')).toBe(false);
    expect(await page.isEnabled('#train-start')).toBe(true);
    await page.close();
  }, 60_000);

  it('bad input shows a message and the page stays usable: a bad row, one label class, WebGPU where there is none', async () => {
    // Chromium without --enable-unsafe-webgpu: navigator.gpu exists but gives no adapter, in the page and its workers.
    const plain = await launchChromium();
    onTestFinished(async () => {
      if (typeof plain !== 'string') await plain.close();
    });
    const { page } = await openDemo(plain);
    const badRow = 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,9,y\n9,10,x\n';
    await page.setInputFiles('#train-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(badRow) });
    await page.click('#train-start');
    await expect.poll(() => page.isVisible('#train-message')).toBe(true);
    expect(await page.textContent('#train-message')).toMatch(/line 5/);
    expect(await page.isVisible('#train-result')).toBe(false);

    const oneClass = 'a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n9,10,x\n';
    await page.setInputFiles('#train-file', { name: 'one-class.csv', mimeType: 'text/csv', buffer: Buffer.from(oneClass) });
    await page.click('#train-start');
    await expect.poll(() => page.isVisible('#train-message')).toBe(true);
    expect(await page.textContent('#train-message')).toMatch(/label/i);
    expect(await page.textContent('#train-message')).toMatch(/class/i);
    expect(await page.isVisible('#train-result')).toBe(false);

    await page.click('#train-sample');
    await page.fill('#train-epochs', '2');
    await page.selectOption('#train-backend', 'webgpu');
    await page.click('#train-start');
    await page.waitForSelector('#train-result:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#train-message')).toMatch(/no WebGPU adapter/);
    expect(await page.getAttribute('#train-message', 'data-kind')).toBe('notice');
    await page.close();
  }, 60_000);

  it("WebGPU in the page (SwiftShader): the first training loss equals WASM's within 1e-5", async () => {
    const { page } = await openDemo();
    const csv = await readFile(CUSTOMERS, 'utf8');
    const run = await page.evaluate(async (data) => {
      const demo = (window as unknown as { onnxMlpDemo: any }).onnxMlpDemo;
      const adapter = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter();
      const notices: string[] = [];
      const losses = async (backend: 'wasm' | 'webgpu'): Promise<number[]> => {
        // One batch holds every training row: each epoch is one step, its loss the step's loss.
        const result = await demo.train({
          data,
          format: 'csv',
          label: 'churn',
          exclude: ['customer_id'],
          hidden: [16],
          epochs: 2,
          batchSize: 1024,
          seed: 7,
          backend,
          wasmPaths: demo.ortFiles(backend),
          onNotice: (m: string) => notices.push(m),
        });
        return result.history.map((h: { loss: number }) => h.loss);
      };
      const wasm = await losses('wasm');
      // SwiftShader runs these two steps in seconds; a run that never ends fails here, not by timeout.
      const hang = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('WebGPU training did not finish within 40 s')), 40_000),
      );
      return { adapter: adapter != null, wasm, webgpu: await Promise.race([losses('webgpu'), hang]), notices };
    }, csv);
    expect(run.adapter).toBe(true);
    expect(run.notices.filter((n) => /webgpu/i.test(n))).toEqual([]); // no fallback: it ran on WebGPU
    expect(run.wasm).toHaveLength(2);
    expect(Math.abs(run.webgpu[0]! - run.wasm[0]!)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(run.webgpu[1]! - run.wasm[1]!)).toBeLessThanOrEqual(1e-5);
    await page.close();
  }, 75_000);
});
