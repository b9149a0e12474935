import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIntegrity, decodeModel, encodeModel, sealModel } from '@onnx-mlp/core';
import { EXPLAIN_IO, buildExplainModel, parseImportance } from '@onnx-mlp/core/explain';
import { META } from '@onnx-mlp/core/internal';
import { DataType, GraphBuilder, attr, makeModel } from '@onnx-mlp/core/ir';
import { runRows, smallModel } from '../packages/core/test/helpers/explain-models.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const COLUMNS = ['age', 'income', 'member', 'city'];
// city is read by name from the vocabulary (kyiv, lima, oslo, rome); an extra column is ignored.
const CSV = 'id,age,income,member,city\n1,30,2000,1,kyiv\n2,62,4000,0,oslo\n3,45,800,1,rome\n4,,3900,0,lima\n5,19,3100,1,\n';
const RAW = [
  [30, 2000, 1, 0],
  [62, 4000, 0, 2],
  [45, 800, 1, 3],
  [Number.NaN, 3900, 0, 1],
  [19, 3100, 1, Number.NaN],
];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('onnx-mlp-explain-');
  await writeFile(join(dir, 'model.onnx'), encodeModel(smallModel('multiclass', 'relu')));
  await writeFile(join(dir, 'rows.csv'), CSV);
});
afterAll(() => removeDir(dir));

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  return { header: header!, rows };
}

describe('onnx-mlp explain', () => {
  it('CSV: per row the explained class, output, baseline output, missing columns and each column attribution, equal to the core graph; sums match the change within 1 %', async () => {
    const r = await runCli(['explain', 'model.onnx', '--data', 'rows.csv', '--steps', '200'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['explained_class', 'output', 'baseline_output', 'missing_columns', ...COLUMNS]);
    const direct = await runRows(buildExplainModel(smallModel('multiclass', 'relu'), { steps: 200 }).model, RAW);
    expect(rows.map((row) => row[3])).toEqual(['', '', '', 'age', 'city']);
    rows.forEach((row, i) => {
      const values = row.slice(4).map(Number);
      expect(values).toEqual(direct[EXPLAIN_IO.attributions]!.slice(4 * i, 4 * i + 4).map((v) => expect.closeTo(v, 6)));
      const change = Number(row[1]) - Number(row[2]);
      expect(Math.abs(values.reduce((s, v) => s + v, 0) - change)).toBeLessThan(0.01 * Math.abs(change) + 1e-6);
    });
    expect([Number(rows[3]![4]), Number(rows[4]![7])]).toEqual([0, 0]);
    // The global summary goes to stderr while the attributions go to stdout.
    expect(r.stderr).toMatch(/^mean \|attribution\| per column over 5 rows \(integrated-gradients, 200 steps, mean baseline\):/);
  });

  it('--out FILE.jsonl with --method gradient: JSON Lines, and the printed summary is the mean |attribution| of the file', async () => {
    const r = await runCli(['explain', 'model.onnx', '--data', 'rows.csv', '--method', 'gradient', '--out', 'why.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = (await readFile(join(dir, 'why.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { class: string; attributions: Record<string, number>; missing: string[] });
    expect(lines).toHaveLength(5);
    expect(lines[3]!.missing).toEqual(['age']);
    expect(lines[3]!.attributions.age).toBe(0);
    expect(['a', 'b', 'c']).toContain(lines[0]!.class);
    for (const column of COLUMNS) {
      const mean = lines.reduce((s, l) => s + Math.abs(l.attributions[column]!), 0) / lines.length;
      const printed = Number(new RegExp(`^  ${column}\\s+(\\S+)$`, 'm').exec(r.stdout)![1]);
      expect(printed).toBeCloseTo(mean, 3);
    }
    expect(r.stdout).toMatch(/\(gradient, mean baseline\)/);
    expect(r.stdout).toMatch(/5 explanations written to why\.jsonl/);
  });

  it('a model onnx-mlp did not make (float matrix input): columns named from the file, zero baseline', async () => {
    const b = new GraphBuilder('foreign');
    const x = b.input('x', DataType.FLOAT, ['N', 2]);
    const w = b.initializer('w', { dtype: DataType.FLOAT, dims: [2, 2], data: Float32Array.from([1, -1, 0.5, 2]) });
    b.output(b.op('Softmax', [b.op('MatMul', [x, w])], { axis: attr.int(-1) }), 'scores');
    await writeFile(join(dir, 'foreign.onnx'), encodeModel(makeModel(b.build())));
    await writeFile(join(dir, 'xy.csv'), 'u,v\n1,2\n-1,0.5\n');
    const r = await runCli(['explain', 'foreign.onnx', '--data', 'xy.csv', '--method', 'gradient'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['explained_class', 'output', 'baseline_output', 'missing_columns', 'u', 'v']);
    // Row 1: logits (1*1 + 2*0.5, -1 + 4) = (2, 3): class 1, p = σ(1); dp/dlogit1 = p(1-p); d logit1 - logit0 / du = -2, / dv = 1.5.
    const p = 1 / (1 + Math.exp(-1));
    expect(rows[0]![0]).toBe('1');
    expect(Number(rows[0]![4])).toBeCloseTo(p * (1 - p) * -2 * 1, 5);
    expect(Number(rows[0]![5])).toBeCloseTo(p * (1 - p) * 1.5 * 2, 5);
    const mean = await runCli(['explain', 'foreign.onnx', '--data', 'xy.csv', '--baseline', 'mean'], { cwd: dir });
    expect(mean.code).toBe(1);
    expect(mean.stderr).toMatch(/^onnx-mlp: baseline mean needs the training means .* \(--baseline zero\)\n$/);
  });

  it('a model whose input is not a float matrix: exit 1, one line naming the input', async () => {
    const b = new GraphBuilder('ints');
    const ids = b.input('ids', DataType.INT64, ['N', 2]);
    b.output(b.op('Cast', [ids], { to: attr.int(DataType.FLOAT) }), 'y');
    await writeFile(join(dir, 'ints.onnx'), encodeModel(makeModel(b.build())));
    const r = await runCli(['explain', 'ints.onnx', '--data', 'xy.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^onnx-mlp: explain needs a float matrix input .*input ids is INT64 \[N,2\]\n$/);
    expect(r.stdout).toBe('');
  });

  it('a sealed model whose metadata was edited is refused; bad options exit 2', async () => {
    const sealed = await sealModel(smallModel('multiclass'));
    const metadata = new Map(sealed.metadata);
    metadata.set('onnx_mlp.class_names', JSON.stringify(['x', 'y', 'z']));
    await writeFile(join(dir, 'edited.onnx'), encodeModel({ ...sealed, metadata }));
    const r = await runCli(['explain', 'edited.onnx', '--data', 'rows.csv'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/metadata changed since it was sealed/);
    const bad = await runCli(['explain', 'model.onnx', '--data', 'rows.csv', '--method', 'shap'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--method must be one of gradient, integrated-gradients/);
    const steps = await runCli(['explain', 'model.onnx', '--data', 'rows.csv', '--steps', '0'], { cwd: dir });
    expect(steps.code).not.toBe(0);
    expect(steps.stderr).toMatch(/--steps/);
  });
});

describe('train stores the global importance', () => {
  it('model.onnx holds onnx_mlp.importance (mean |attribution| on the test split, equal to explain --steps 16 on those rows) and is still sealed', async () => {
    const lines = (await readFile('examples/customers.csv', 'utf8')).trim().split('\n');
    const header = lines[0]!;
    await writeFile(join(dir, 'train.csv'), [header, ...lines.slice(1, 601)].join('\n'));
    await writeFile(join(dir, 'val.csv'), [header, ...lines.slice(601, 701)].join('\n'));
    await writeFile(join(dir, 'test.csv'), [header, ...lines.slice(701)].join('\n'));
    const args = ['--data', 'train.csv', '--val', 'val.csv', '--test', 'test.csv', '--label', 'churn', '--exclude', 'customer_id'];
    const trained = await runCli(['train', ...args, '--epochs', '3', '--quiet', '--out', 'churn.onnx'], { cwd: dir, timeoutMs: 120_000 });
    expect(trained.code, trained.stderr).toBe(0);
    const model = decodeModel(await readFile(join(dir, 'churn.onnx')));
    expect((await checkIntegrity(model)).status).toBe('ok');
    const importance = parseImportance(model.metadata.get(META.importance)!);
    expect(importance).toMatchObject({ method: 'integrated-gradients', steps: 16, baseline: 'mean', rows: 'test', count: 100 });
    expect(importance.columns.map((c) => c.name)).toEqual(['age', 'monthly_fee', 'plan', 'region', 'support_calls', 'autopay']);
    const r = await runCli(['explain', 'churn.onnx', '--data', 'test.csv', '--steps', '16', '--out', 'test-why.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    for (const { name, meanAbs } of importance.columns) {
      expect(meanAbs).toBeGreaterThan(0);
      const printed = Number(new RegExp(`^  ${name}\\s+(\\S+)$`, 'm').exec(r.stdout)![1]);
      expect(printed).toBe(Number(meanAbs.toPrecision(4)));
    }
    expect((await runCli(['verify', 'churn.onnx'], { cwd: dir })).code).toBe(0);
  });
});
