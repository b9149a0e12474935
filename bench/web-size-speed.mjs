// `npm run bench:web`: sizes and speeds of @onnx-mlp/web, measured, not tested. Builds nothing
// itself (the npm script runs `build:demo` first); serves packages/web/demo/dist on 127.0.0.1 and
// drives Debian's Chromium. Prints a table and writes .bench/web-size-speed.json.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as ortNode from 'onnxruntime-node';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { trainInThisThread } from '@onnx-mlp/web';
import { loadMnistDigits } from '../packages/cli/dist/data/mnist.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEMO_CONFIG = `${root}packages/web/demo/vite.config.ts`;
const DEMO_DIST = `${root}packages/web/demo/dist/`;
const EPOCHS = 2;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const results = [];
const report = (what, value, note = '') => {
  results.push({ what, value, note });
  console.error(`${what}: ${value}${note ? ` (${note})` : ''}`);
};

/** The package as a site's bundler sees it, minified; ORT left out (it is a separate download). */
async function packageSizes() {
  const bundle = async (entry, external) => {
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      root,
      build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'out' }, rollupOptions: { external } },
      worker: { format: 'es' },
    });
    const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output).filter((c) => c.type === 'chunk');
    return chunks.reduce((s, c) => s + gz(Buffer.from(c.code)), 0);
  };
  const ort = /^onnxruntime-/;
  const own = await bundle(`${root}packages/web/dist/index.js`, [ort, /^@onnx-mlp\/core/]);
  const withCore = await bundle(`${root}packages/web/dist/index.js`, [ort]);
  const worker = await bundle(`${root}packages/web/dist/train-worker.js`, [ort]);
  report('@onnx-mlp/web own JS, minified + gzipped (without core, without ORT)', kb(own));
  report('@onnx-mlp/web main entry with core, minified + gzipped (without ORT)', kb(withCore), 'what a page loads for loadModel/predict');
  report('@onnx-mlp/web training worker with core, minified + gzipped (without ORT)', kb(worker), 'loaded when train() starts');
}

/** The demo's files on disk, raw and gzipped. */
function distSizes() {
  const files = readdirSync(`${DEMO_DIST}assets`)
    .map((f) => `${DEMO_DIST}assets/${f}`)
    .concat(`${DEMO_DIST}index.html`);
  return new Map(files.map((f) => [f.slice(DEMO_DIST.length), { raw: statSync(f).size, gzip: gz(readFileSync(f)) }]));
}

async function pageFigures(url) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    // Cold page: a new context has an empty cache. Record every response until the first prediction.
    const context = await browser.newContext();
    const page = await context.newPage();
    const loaded = new Map();
    page.on('response', (r) => loaded.set(new URL(r.url()).pathname.replace(/^\//, ''), r.status()));
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const shown = document.querySelector('#digit-prediction[data-label]');
        if (shown) {
          window.firstPredictionMs = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, childList: true });
    });
    await page.goto(url);
    const pad = await page.locator('#pad').boundingBox();
    await page.mouse.move(pad.x + 140, pad.y + 40);
    await page.mouse.down();
    await page.mouse.move(pad.x + 144, pad.y + 240, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('#digit-prediction[data-label]', { timeout: 60_000 });
    const firstPrediction = await page.evaluate(() => window.firstPredictionMs);
    const sizes = distSizes();
    let raw = 0,
      gzip = 0;
    for (const [path] of loaded) {
      const size = sizes.get(path);
      if (size) {
        raw += size.raw;
        gzip += size.gzip;
      }
    }
    report(
      'demo first load: files fetched until the first prediction',
      `${loaded.size} files, ${kb(raw)} raw, ${kb(gzip)} gzipped`,
      'ORT wasm included',
    );
    report(
      'time to first prediction on a cold page (navigation → probabilities shown)',
      `${firstPrediction.toFixed(0)} ms`,
      'includes drawing a 5-step stroke',
    );
    const latency = await page.evaluate(async () => {
      const demo = window.onnxMlpDemo;
      const model = await demo.loadModel(demo.mnistModelUrl, { wasmPaths: demo.ortFiles('wasm'), numThreads: 1 });
      const one = new Float32Array(784).fill(0.5);
      const times = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await model.predictArrays(one, 1);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { median: times[150], p95: times[285] };
    });
    report(
      'single-record predictArrays latency in the page, MNIST 784-128-128-10',
      `${latency.median.toFixed(3)} ms median, ${latency.p95.toFixed(3)} ms p95`,
      '300 calls, WASM 1 thread',
    );
    const records = await page.evaluate(
      async (csvUrl) => {
        const demo = window.onnxMlpDemo;
        const data = await (await fetch(csvUrl)).text();
        const trained = await demo.train({
          data,
          format: 'csv',
          label: 'churn',
          exclude: ['customer_id'],
          hidden: [32, 16],
          epochs: 5,
          wasmPaths: demo.ortFiles('wasm'),
        });
        const model = await demo.loadModel(trained.model, { wasmPaths: demo.ortFiles('wasm'), numThreads: 1 });
        const record = { age: 41, monthly_fee: 57.7, plan: 'pro', region: 'west', support_calls: 2, autopay: 'yes' };
        const times = [];
        for (let i = 0; i < 300; i++) {
          const t = performance.now();
          await model.predict([record]);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        return { median: times[150], p95: times[285] };
      },
      await page.evaluate(() => window.onnxMlpDemo.sampleCsvUrl),
    );
    report(
      'single-record predict(records) latency in the page, customers.csv model (preprocessing in the graph)',
      `${records.median.toFixed(3)} ms median, ${records.p95.toFixed(3)} ms p95`,
      '300 calls, WASM 1 thread',
    );
    await context.close();
    return browser;
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** MNIST-10k as the train() arrays form: 784 pixel columns and the digit as label. */
async function mnistTable() {
  const d = await loadMnistDigits();
  const columns = [...Array.from({ length: d.cols }, (_, i) => `p${i}`), 'digit'];
  const rows = Array.from({ length: d.rows }, (_, r) => [...d.features.subarray(r * d.cols, (r + 1) * d.cols), d.targets[r]]);
  const packed = Buffer.from(d.features.buffer, d.features.byteOffset, d.features.byteLength).toString('base64');
  return { columns, rows, packed: { pixels: packed, labels: [...d.targets], cols: d.cols } };
}

const MNIST_RUN = {
  label: 'digit',
  hidden: [128, 128],
  epochs: EPOCHS,
  batchSize: 128,
  seed: 42,
  valSplit: 0,
  testSplit: 0.2,
  scaling: 'none',
};
const perEpoch = (history) => history.reduce((s, h) => s + h.seconds, 0) / history.length;

async function browserTraining(browser, url, table) {
  const page = await browser.newPage();
  await page.goto(url);
  const figures = {};
  for (const numThreads of [1, 2]) {
    figures[numThreads] = await page.evaluate(
      async ({ packed, run, numThreads }) => {
        const demo = window.onnxMlpDemo;
        const bytes = Uint8Array.from(atob(packed.pixels), (c) => c.charCodeAt(0));
        const pixels = new Float32Array(bytes.buffer);
        const columns = [...Array.from({ length: packed.cols }, (_, i) => `p${i}`), 'digit'];
        const rows = packed.labels.map((label, r) => [...pixels.subarray(r * packed.cols, (r + 1) * packed.cols), label]);
        const result = await demo.train({ ...run, data: { columns, rows }, numThreads, wasmPaths: demo.ortFiles('wasm') });
        const seconds = result.history.reduce((sum, h) => sum + h.seconds, 0) / result.history.length;
        return { seconds, accuracy: result.testMetrics.accuracy };
      },
      { packed: table.packed, run: MNIST_RUN, numThreads },
    );
    report(
      `train MNIST-10k in the page's worker, WASM ${numThreads} thread(s)`,
      `${figures[numThreads].seconds.toFixed(2)} s/epoch`,
      `${EPOCHS} epochs, 8,000 rows, 784-128-128-10, test accuracy ${figures[numThreads].accuracy.toFixed(4)}`,
    );
  }
  await page.close();
}

async function nodeTraining(table) {
  // The same pipeline on onnxruntime-node (its default intra-op threads: one per core, 2 here).
  const result = await trainInThisThread({
    ...MNIST_RUN,
    data: { columns: table.columns, rows: table.rows },
    runtime: ortNode,
    onNotice: () => {},
  });
  report(
    'train MNIST-10k in Node, onnxruntime-node, the same trainInThisThread pipeline',
    `${perEpoch(result.history).toFixed(2)} s/epoch`,
    `ORT default threads, test accuracy ${result.testMetrics.accuracy.toFixed(4)}`,
  );
}

const site = await preview({ configFile: DEMO_CONFIG, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const url = site.resolvedUrls.local[0];
console.error(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores; other work skews the timings)`,
);
let browser;
try {
  await packageSizes();
  browser = await pageFigures(url);
  const table = await mnistTable();
  await browserTraining(browser, url, table);
  await nodeTraining(table);
} finally {
  await browser?.close();
  site.httpServer.close();
}
console.error(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('\n| what | figure | note |\n| --- | --- | --- |');
for (const r of results) console.log(`| ${r.what} | ${r.value} | ${r.note} |`);
mkdirSync(`${root}.bench`, { recursive: true });
writeFileSync(
  `${root}.bench/web-size-speed.json`,
  `${JSON.stringify({ date: new Date().toISOString(), loadavg: loadavg(), results }, null, 2)}\n`,
);
