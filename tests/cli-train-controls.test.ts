import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeRecord, type EpochRecord, type Preprocessing } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { META } from '@onnx-mlp/core/internal';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { documentedSplit, lines, syntheticRows, trainInFreshFolder, writeCsv, type Row } from './helpers/tabular-data.js';

const ROWS = syntheticRows(600, 7);
const COLUMNS = ['x1', 'x2', 'color', 'member', 'zip', 'label'];
/** cls.csv: 420 train rows, so batches of 16 make 27 steps an epoch (the last one 4 rows). */
const CLS = ['--data', 'cls.csv', '--label', 'label', '--categorical', 'zip', '--batch-size', '16', '--hidden', '32', '--quiet'];
const ACCURACY_LINE = /^test accuracy: (\d+\.\d{2})% \((\d+) (rows|digits)\)$/m;

async function history(dir: string, folder: string): Promise<EpochRecord[]> {
  return JSON.parse(await readFile(join(dir, folder, 'history.json'), 'utf8'));
}

async function config(dir: string, folder: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(join(dir, folder, 'config.json'), 'utf8'));
}

function accuracy(run: CliResult): number {
  const m = ACCURACY_LINE.exec(run.stdout);
  if (!m) throw new Error(`no test accuracy line in:\n${run.stdout}\n${run.stderr}`);
  return Number(m[1]) / 100;
}

function ok(run: CliResult): void {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

/** 40 rows of 6 noise-heavy features; the label leans on `a` only: a net of 64 overfits it within a few epochs. */
function noisyRows(n: number, rng: Rng): Row[] {
  return Array.from({ length: n }, () => {
    const x = Array.from({ length: 6 }, () => rng.normal());
    return { ...Object.fromEntries(x.map((v, i) => ['abcdef'[i]!, v.toFixed(3)])), label: x[0]! + 0.8 * rng.normal() > 0 ? 'p' : 'n' };
  });
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
  await writeCsv(dir, 'cls.csv', ROWS, COLUMNS);
  await writeCsv(dir, 'reg.csv', ROWS, ['x1', 'x2', 'color', 'member', 'zip', 'y']);
  const rng = new Rng(3);
  for (const name of ['tiny.csv', 'tiny-val.csv', 'tiny-test.csv'])
    await writeCsv(dir, name, noisyRows(40, rng), ['a', 'b', 'c', 'd', 'e', 'f', 'label']);
});
afterAll(() => removeDir(dir));

describe("--schedule and --warmup: history.json records the documented rate of each epoch's last step", () => {
  it("cosine with 30 warm-up steps on a CSV, and step decay on MNIST (with --early-stopping's validation split)", async () => {
    const [cosine, mnist] = await Promise.all([
      runCli(['train', ...CLS, '--epochs', '6', '--lr', '0.01', '--schedule', 'cosine', '--warmup', '30', '--runs-dir', 'cosine'], {
        cwd: dir,
      }),
      runCli(['train', '--epochs', '2', '--hidden', '16', '--schedule', 'step', '--early-stopping', '5', '--runs-dir', 'mnist'], {
        cwd: dir,
      }),
    ]);
    ok(cosine);
    // 6 epochs x 27 steps; cosine from 0.01 at step 1 to 0 at step 162, ramped up linearly over steps 1..30.
    const total = 6 * 27;
    const cos = (s: number) => 0.5 * 0.01 * (1 + Math.cos((Math.PI * (Math.min(s, total) - 1)) / (total - 1)));
    const rate = (s: number) => (s < 30 ? (cos(s) * s) / 30 : cos(s));
    const h = await history(dir, join('cosine', '1'));
    expect(h.map((r) => r.learningRate)).toHaveLength(6);
    h.forEach((r, e) => expect(r.learningRate, `epoch ${e + 1}`).toBeCloseTo(rate((e + 1) * 27), 12));
    expect(h[0]!.learningRate).toBeLessThan(cos(27)); // still warming up at step 27
    expect(h[5]!.learningRate).toBe(0);
    expect((await config(dir, join('cosine', '1'))).schedule).toEqual({ name: 'cosine', warmup: 30, totalSteps: total });

    ok(mnist);
    // MNIST keeps its printed format; --early-stopping takes 10% of the 8,000 train digits for val_*.
    const out = lines(mnist.stdout);
    expect(
      out.filter((l) =>
        /^epoch [12]\/2 {2}loss \d+\.\d{4} {2}acc \d\.\d{4} {2}val_loss \d+\.\d{4} {2}val_acc \d\.\d{4} {2}\d+\.\d{2}s$/.test(l),
      ),
    ).toHaveLength(2);
    expect(out.at(-2)).toMatch(/^test accuracy: \d+\.\d{2}% \(2000 digits\)$/);
    expect(out[2]).toMatch(/^early stopping: did not trigger in 2 epochs; model\.onnx has the weights of epoch [12]/);
    const steps = Math.ceil(7200 / 128); // 57 a epoch; step decay x0.1 every ceil(114 / 3) = 38 steps
    const m = await history(dir, join('mnist', '1'));
    m.forEach((r, e) => expect(r.learningRate).toBeCloseTo(0.001 * 0.1 ** Math.floor(((e + 1) * steps - 1) / 38), 15));
    const c = await config(dir, join('mnist', '1'));
    expect(c).toMatchObject({
      valSplit: 0.1,
      earlyStopping: { patience: 5, minDelta: 0 },
      schedule: { name: 'step', totalSteps: 2 * steps },
    });
    expect(c.data).toContain('validation: 800 of the train digits');
  });
});

describe('--optimizer sgd --nesterov, --weight-decay, --clip-norm, --class-weights', () => {
  const SGD = [...CLS, '--epochs', '15', '--optimizer', 'sgd', '--lr', '0.05', '--momentum', '0.9', '--nesterov'];
  let base: CliResult;
  let clipped: CliResult;
  let decayed: CliResult;
  let weighted: CliResult;
  let balanced: CliResult;
  beforeAll(async () => {
    [base, clipped, decayed, weighted, balanced] = await Promise.all([
      runCli(['train', ...SGD, '--runs-dir', 'base'], { cwd: dir }),
      runCli(['train', ...SGD, '--clip-norm', '0.5', '--runs-dir', 'clipped'], { cwd: dir }),
      runCli(['train', ...SGD, '--weight-decay', '0.001', '--runs-dir', 'decayed'], { cwd: dir }),
      runCli(['train', ...SGD, '--class-weights', '3,1,1', '--runs-dir', 'weighted'], { cwd: dir }),
      runCli(['train', ...SGD, '--class-weights', 'balanced', '--clip-norm', '1', '--weight-decay', '0.0001', '--runs-dir', 'balanced'], {
        cwd: dir,
      }),
    ]);
  });

  it('each run converges (test accuracy > 80%) and config.json records its settings', async () => {
    for (const run of [base, clipped, decayed, weighted, balanced]) {
      ok(run);
      expect(accuracy(run)).toBeGreaterThan(0.8);
    }
    expect((await config(dir, join('base', '1'))).optimizer).toEqual({
      kind: 'sgd',
      learningRate: 0.05,
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0,
    });
    expect(await config(dir, join('clipped', '1'))).toMatchObject({ clipNorm: 0.5, classWeights: null });
    expect((await config(dir, join('decayed', '1'))).optimizer.weightDecay).toBe(0.001);
    expect(await config(dir, join('weighted', '1'))).toMatchObject({ classWeights: [3, 1, 1] });
    const c = await config(dir, join('balanced', '1'));
    // scikit-learn's balanced weights, n / (classes x count), over the 420 train rows of the documented split.
    const classes = ROWS.map((r) => c.classNames.indexOf(r.label));
    const counts = [0, 0, 0];
    for (const i of documentedSplit(600, 60, 120, 42, classes).train) counts[classes[i]!]!++;
    expect(c).toMatchObject({ classWeightsFrom: 'balanced', clipNorm: 1, optimizer: { weightDecay: 0.0001 } });
    expect(c.classWeights).toEqual(counts.map((n) => 420 / (3 * n)));
    const training = JSON.parse(decodeModel(await readFile(join(dir, 'balanced', '1', 'model.onnx'))).metadata.get(META.training)!);
    expect(training).toMatchObject({ clipNorm: 1, classWeights: c.classWeights });
  });

  it("each changes the first epoch's loss against the same run without it", async () => {
    const first = async (folder: string) => (await history(dir, join(folder, '1')))[0]!.loss;
    const reference = await first('base');
    for (const folder of ['clipped', 'decayed', 'weighted'])
      expect(Math.abs((await first(folder)) - reference), folder).toBeGreaterThan(1e-4);
    // Weights count in the training loss only: val_loss (eval graph) stays an unweighted mean.
    const weighted1 = (await history(dir, join('weighted', '1')))[0]!;
    expect(weighted1.loss).toBeGreaterThan(reference);
  });
});

describe('--early-stopping', () => {
  it("stops a 200-epoch run on tiny data early, and model.onnx has the best val_loss epoch's weights", async () => {
    const run = await runCli(
      [
        'train',
        '--data',
        'tiny.csv',
        '--val',
        'tiny-val.csv',
        '--test',
        'tiny-test.csv',
        '--label',
        'label',
        '--epochs',
        '200',
        '--early-stopping',
        '5',
        '--lr',
        '0.01',
        '--hidden',
        '64',
        '--batch-size',
        '8',
        '--runs-dir',
        'early',
      ],
      { cwd: dir },
    );
    ok(run);
    const h = await history(dir, join('early', '1'));
    expect(h.length).toBeLessThan(200);
    const losses = h.map((r) => r.valLoss!);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(h.length - best).toBe(5); // patience 5: five epochs without improvement, then stop
    expect(run.stdout).toContain(
      `early stopping: stopped after epoch ${h.length} of 200, val_loss did not improve for 5 epochs; model.onnx has the weights of epoch ${best}`,
    );
    const bytes = await readFile(join(dir, 'early', '1', 'model.onnx'));
    const meta = decodeModel(bytes).metadata;
    expect(JSON.parse(meta.get(META.training)!)).toMatchObject({
      epochsTrained: h.length,
      bestEpoch: best,
      stoppedEarly: true,
      earlyStopping: { monitor: 'val_loss', patience: 5 },
    });

    // The model's binary cross-entropy on the validation file's raw records is the best epoch's val_loss, not the last one's.
    const p: Preprocessing = JSON.parse(meta.get(META.preprocessing)!);
    const classes: string[] = JSON.parse(meta.get(META.classNames)!);
    const val = (await readFile(join(dir, 'tiny-val.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const input = new Float32Array(val.length * 6);
    val.forEach((cells, i) =>
      input.set(encodeRecord(p, Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((n, k) => [n, cells[k]!]))), i * 6),
    );
    const session = await ort.InferenceSession.create(bytes);
    const probabilities = (await session.run({ input: new ort.Tensor('float32', input, [val.length, 6]) })).probabilities!
      .data as Float32Array;
    await session.release();
    const loss = val.reduce((sum, cells, i) => sum - Math.log(probabilities[i * 2 + classes.indexOf(cells[6]!)]!), 0) / val.length;
    expect(loss).toBeCloseTo(losses[best - 1]!, 4);
    expect(Math.abs(loss - losses.at(-1)!)).toBeGreaterThan(1e-3);

    // A run that stopped early has nothing left to resume.
    const resumed = await runCli(['train', '--resume', join('early', '1')], { cwd: dir });
    expect(resumed.code).toBe(1);
    expect(resumed.stderr.trim()).toMatch(/^onnx-mlp: --resume early\/1: the run already stopped early after epoch \d+/);
  });
});

describe('--config FILE', () => {
  it('takes options from a JSON object (camelCase and kebab-case keys, lists as JSON lists); the command line overrides it', async () => {
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({
        data: 'cls.csv',
        label: 'label',
        categorical: ['zip'],
        epochs: 5,
        hidden: [16],
        'batch-size': 32,
        lr: 0.01,
        schedule: 'cosine',
        earlyStopping: 10,
        minDelta: 0.001,
        missingCategory: true,
        quiet: true,
        runsDir: 'configured',
      }),
    );
    const run = await runCli(['train', '--config', 'settings.json', '--epochs', '2', '--lr', '0.02'], { cwd: dir });
    ok(run);
    expect(lines(run.stdout).at(-1)).toBe(`run folder: ${join('configured', '1')}`);
    expect(await history(dir, join('configured', '1'))).toHaveLength(2);
    const c = await config(dir, join('configured', '1'));
    expect(c).toMatchObject({
      epochs: 2,
      batchSize: 32,
      spec: { hidden: [16] },
      optimizer: { learningRate: 0.02 },
      schedule: { name: 'cosine' },
      earlyStopping: { patience: 10, minDelta: 0.001 },
      dataset: { file: 'cls.csv', categorical: ['zip'], missingCategory: true },
    });
  });
});

describe('bad control values: exit 1, one line naming the option and value, nothing written', () => {
  const FILES: Record<string, string> = {
    'unknown-key.json': '{"epochs": 2, "learningRate": 0.1}',
    'wrong-type.json': '{"epochs": "2"}',
    'not-json.json': '{epochs: 2}',
    'bad-value.json': '{"clipNorm": -1}',
    'resume.json': '{"resume": "runs/1"}',
    'ok.csv': `a,y\n${Array.from({ length: 40 }, (_, i) => `${i},${(i * 0.37).toFixed(2)}`).join('\n')}\n`,
  };
  it.concurrent.for([
    { args: ['--schedule', 'exp'], message: /^onnx-mlp: --schedule exp: must be one of constant, step, cosine$/ },
    { args: ['--warmup', '-1'], message: /^onnx-mlp: --warmup -1: must be an integer >= 0$/ },
    { args: ['--warmup', '2.5'], message: /^onnx-mlp: --warmup 2\.5: must be an integer >= 0$/ },
    { args: ['--weight-decay', '-0.1'], message: /^onnx-mlp: --weight-decay -0\.1: must be >= 0$/ },
    { args: ['--nesterov'], message: /^onnx-mlp: --nesterov true: only --optimizer sgd has Nesterov momentum/ },
    { args: ['--optimizer', 'sgd', '--nesterov'], message: /^onnx-mlp: --nesterov true: needs momentum > 0$/ },
    { args: ['--clip-norm', '0'], message: /^onnx-mlp: --clip-norm 0: must be a positive number$/ },
    {
      args: ['--class-weights', 'heavy'],
      message: /^onnx-mlp: --class-weights heavy: must be "balanced" or comma-separated non-negative numbers/,
    },
    { args: ['--class-weights', '1,-1'], message: /^onnx-mlp: --class-weights 1,-1: must be "balanced" or/ },
    { args: ['--class-weights', '0,0'], message: /^onnx-mlp: --class-weights 0,0: needs at least one weight above 0$/ },
    { args: ['--class-weights', '1,2,3'], message: /^onnx-mlp: --class-weights 1,2,3: gives 3 weights but the label has 10 classes/ },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--class-weights', 'balanced'],
      message: /^onnx-mlp: --class-weights balanced: weighs classes: it applies to classification, not regression$/,
    },
    { args: ['--early-stopping', '0'], message: /^onnx-mlp: --early-stopping 0: must be an integer >= 1$/ },
    { args: ['--min-delta', '0.01'], message: /^onnx-mlp: --min-delta 0\.01: only --early-stopping uses it$/ },
    { args: ['--early-stopping', '3', '--min-delta', '-1'], message: /^onnx-mlp: --min-delta -1: must be a number >= 0$/ },
    {
      args: ['--data', 'ok.csv', '--label', 'y', '--val-split', '0', '--early-stopping', '3'],
      message: /^onnx-mlp: --early-stopping 3: monitors val_loss and needs validation rows/,
    },
    { args: ['--val-split', '0'], message: /^onnx-mlp: --val-split 0: must be a number in \(0, 1\)$/ },
    { args: ['--config', 'unknown-key.json'], message: /^onnx-mlp: --config unknown-key\.json: unknown key "learningRate"/ },
    { args: ['--config', 'wrong-type.json'], message: /^onnx-mlp: --config wrong-type\.json: key "epochs" must be a number, not "2"$/ },
    { args: ['--config', 'not-json.json'], message: /^onnx-mlp: --config not-json\.json: not valid JSON/ },
    { args: ['--config', 'bad-value.json'], message: /^onnx-mlp: --clip-norm -1: must be a positive number$/ },
    { args: ['--config', 'resume.json'], message: /^onnx-mlp: --config resume\.json: key "resume" cannot be set in a config file/ },
    { args: ['--config', 'missing.json'], message: /^onnx-mlp: --config missing\.json: no such file$/ },
  ])('train $args', async ({ args, message }, { expect }) => {
    const { run, entries } = await trainInFreshFolder(FILES, args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(entries).toEqual(Object.keys(FILES).sort());
  });
});
