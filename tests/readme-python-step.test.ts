import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, decodeModel } from '@onnx-mlp/core';
import { META, parameterLayout, packTensors } from '@onnx-mlp/core/internal';
import { requireSystemPython, requireVenvPython } from './helpers/python-venv.js';
import { type MissingTool, skipIfMissing } from './helpers/require-tool.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The README's "One training step from Python" code block, exactly as written. */
async function readmeSnippet(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### One training step from Python'));
  const start = section.indexOf('```python\n') + '```python\n'.length;
  return section.slice(start, section.indexOf('```', start));
}

/** The same step in onnxruntime-node: the loss the README's snippet should print. */
async function lossInNode(folder: string): Promise<number> {
  const stepBytes = await readFile(join(folder, 'training_model.onnx'));
  const checkpoint = decodeCheckpoint(await readFile(join(folder, 'checkpoint.ckpt')));
  const layout = parameterLayout(checkpoint.spec);
  const preprocess = await ort.InferenceSession.create(await readFile(join(folder, 'preprocess_model.onnx')));
  const stepMeta = decodeModel(stepBytes).metadata;
  const width = (JSON.parse(stepMeta.get(META.preprocessing)!) as { columns: unknown[] }).columns.length;
  const { features } = await preprocess.run({ input: new ort.Tensor('float32', new Float32Array(2 * width).fill(Number.NaN), [2, width]) });
  const session = await ort.InferenceSession.create(stepBytes);
  const flat = (suffix: string) =>
    new ort.Tensor('float32', packTensors(layout, new Map([...checkpoint.parameters, ...checkpoint.optimizerState]), suffix), [
      layout.total,
    ]);
  const out = await session.run({
    input: features!,
    target: new ort.Tensor('float32', Float32Array.from([1, 0]), [2, 1]),
    learning_rate: new ort.Tensor('float32', Float32Array.from([1e-3]), []),
    step: new ort.Tensor('float32', Float32Array.from([checkpoint.step + 1]), []),
    parameters: flat(''),
    'optimizer_state.m': flat('.m'),
    'optimizer_state.v': flat('.v'),
  });
  return (out.loss!.data as Float32Array)[0]!;
}

describe("a --data run folder's training files, and README's one training step from Python", () => {
  let python: string | MissingTool;
  let dir: string;
  beforeAll(async () => {
    python = await requireVenvPython(['onnx', 'onnxruntime']);
    dir = await makeTempDir();
    await cp(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
    const trained = await runCli(
      ['train', '--data', 'examples/customers.csv', '--label', 'churn', '--exclude', 'customer_id', '--epochs', '2', '--quiet'],
      {
        cwd: dir,
      },
    );
    expect(trained.stderr).toBe('');
  }, 120_000);
  afterAll(() => removeDir(dir));

  it('runs as written on a run folder from the quick start and prints the loss onnxruntime-node computes', async (ctx) => {
    skipIfMissing(ctx, python);
    await writeFile(join(dir, 'step.py'), await readmeSnippet());
    const { stdout } = await run(python, ['step.py'], { cwd: dir, timeout: 120_000 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      `['no', 'yes'] {'dtype': 'float32', 'shape': ['batch', 1], 'meaning': '1 for class_names[1], 0 for class_names[0]'}`,
    );
    const m = /^loss (\d+\.\d{6}), (\d+) parameters changed$/.exec(lines[1]!);
    expect(m, stdout).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(await lossInNode(join(dir, 'runs', '1')), 6);
    expect(Number(m![2])).toBeGreaterThan(100);
  }, 120_000);

  it('training, epoch and eval models carry class names, preprocessing and target layout; preprocess_model.onnx gives their input', async () => {
    const folder = join(dir, 'runs', '1');
    const checkpoint = decodeModel(await readFile(join(folder, 'checkpoint.ckpt'))).metadata;
    const preprocess = decodeModel(await readFile(join(folder, 'preprocess_model.onnx')));
    const preprocessing = preprocess.metadata.get(META.preprocessing)!;
    expect(preprocess.graph.outputs.map((o) => o.name)).toEqual(['features']);
    for (const file of ['training_model.onnx', 'training_epoch_model.onnx', 'eval_model.onnx']) {
      const m = decodeModel(await readFile(join(folder, file)));
      expect(m.metadata.get(META.classNames), file).toBe('["no","yes"]');
      expect(m.metadata.get(META.preprocessing), file).toBe(preprocessing);
      expect(JSON.parse(m.metadata.get(META.target)!), file).toEqual({
        dtype: 'float32',
        shape: ['batch', 1],
        meaning: '1 for class_names[1], 0 for class_names[0]',
      });
      // One format of onnx_mlp.parameters in every file that has it: the checkpoint's equals the graphs'.
      expect(m.metadata.get(META.parameters), file).toBe(checkpoint.get(META.parameters));
    }
    const spec = JSON.parse(checkpoint.get(META.spec)!) as { inputs: number };
    expect(preprocess.graph.outputs[0]!.shape).toEqual(['batch', spec.inputs]);
  });

  it("the Other runtimes section's Python blocks run as written: onnxruntime, and OpenCV from PyPI and Debian", async (ctx) => {
    skipIfMissing(ctx, python);
    const system = await requireSystemPython(['cv2']);
    skipIfMissing(ctx, system);
    const snippets = await otherRuntimesSnippets();
    expect(snippets).toHaveLength(3);
    const [onnxruntime, opencv] = snippets;
    const session = await ort.InferenceSession.create(join(root, 'models', 'mnist-mlp.onnx'));
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(784), [1, 784]) });
    const label = Number((out.label!.data as BigInt64Array)[0]);
    const top = Math.max(...(out.probabilities!.data as Float32Array));
    for (const [interpreter, code] of [
      [python, onnxruntime!],
      [python, opencv!],
      [system, opencv!],
    ] as const) {
      const { stdout } = await run(interpreter, ['-c', code], { cwd: root, timeout: 120_000 });
      const [printedLabel, printedTop] = stdout.trim().split(' ').map(Number);
      expect(printedLabel, `${interpreter}: ${code}`).toBe(label);
      expect(Math.abs(printedTop! - top)).toBeLessThan(1e-5);
    }
  });

  it("the section's OpenCV 4.6 block runs as written on the quick start's run exported with --missing mask, in Debian's OpenCV and PyPI's", async (ctx) => {
    skipIfMissing(ctx, python);
    const system = await requireSystemPython(['cv2']);
    skipIfMissing(ctx, system);
    const exported = await runCli(['export', 'runs/1/model.onnx', '--missing', 'mask', '--out', 'model-opencv46.onnx'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    const code = (await otherRuntimesSnippets())[2]!;
    // What the trained model gives in onnxruntime-node for the same two rows, their missing cells as NaN.
    const session = await ort.InferenceSession.create(join(dir, 'runs', '1', 'model.onnx'));
    const raw = Float32Array.from([NaN, NaN, NaN, NaN, NaN, NaN, 40, 30, 0, NaN, 2, 1]);
    const out = await session.run({ input: new ort.Tensor('float32', raw, [2, 6]) });
    const p = out.probabilities!.data as Float32Array;
    const want = [0, 1].map((r) => [Number((out.label!.data as BigInt64Array)[r]), Math.max(p[2 * r]!, p[2 * r + 1]!)]);
    for (const interpreter of [python, system]) {
      const { stdout } = await run(interpreter, ['-c', code], { cwd: dir, timeout: 120_000 });
      const got = stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number));
      expect(got.length, stdout).toBe(2);
      got.forEach(([label, top], r) => {
        expect(label, `${interpreter} row ${r + 1}`).toBe(want[r]![0]);
        expect(Math.abs(top! - want[r]![1]!)).toBeLessThan(1e-6);
      });
    }
  });
});

/** The ```python blocks of README's "Other runtimes" section: onnxruntime, OpenCV, then OpenCV 4.6 with the mask export. */
async function otherRuntimesSnippets(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Other runtimes');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
}
