import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingArtifacts, decodeModel, encodeModel, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import { exportMissingMask } from '@onnx-mlp/core/artifacts';
import { checkWithOnnx, importOnnx, type OnnxCheck } from './helpers/python-onnx.js';
import { syntheticRecords, trainTabularModel } from './helpers/tabular-models.js';
import { MissingTool, requireTool, skipIfMissing } from './helpers/require-tool.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const BROKEN = 'broken.eval_model.onnx';
const MASK_TASKS = ['multiclass', 'binary', 'regression'] as const;
const CHECKED_IN = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));

/** Training graphs from core in a few configurations that emit different ops (dropout, momentum, gelu). */
const CONFIGS = [
  { name: 'default', spec: {}, optimizer: optimizerConfig('adam') },
  {
    name: 'sgd-nesterov-dropout-gelu',
    spec: { activation: 'gelu', dropout: 0.2 },
    optimizer: optimizerConfig('sgd', { momentum: 0.9, nesterov: true }),
  },
  { name: 'adamw-tanh-he', spec: { activation: 'tanh', init: 'he_normal', hidden: [32] }, optimizer: optimizerConfig('adamw') },
  // DP-SGD: per-example clipping (ghost norms) and the noise inputs.
  { name: 'dp-adam-dropout', spec: { dropout: 0.1 }, optimizer: optimizerConfig('adam'), options: { privacy: { clipNorm: 1 } } },
] as const;

function expectStandardOnnx(check: OnnxCheck | undefined): void {
  expect(check, 'python reported the file').toBeDefined();
  expect(check!.error, `${check!.path}: onnx.checker`).toBeNull();
  expect(check!.irVersion).toBe(8);
  expect(check!.opsets).toEqual([['', 17]]);
  expect(
    check!.nodeDomains.every((d) => d === ''),
    `${check!.path}: domains ${check!.nodeDomains}`,
  ).toBe(true);
}

describe('ONNX files pass onnx.checker.check_model(full_check=True) (Debian python3-onnx)', () => {
  let onnx: string | MissingTool | undefined;
  let dir: string;
  const files: string[] = [];
  let checks = new Map<string, OnnxCheck>();

  beforeAll(async () => {
    onnx = await requireTool('python3-onnx', importOnnx);
    if (onnx instanceof MissingTool) return;
    dir = await makeTempDir();
    for (const c of CONFIGS) {
      const options = 'options' in c ? c.options : {};
      const a = buildTrainingArtifacts(mlpSpec({ inputs: 784, hidden: [128, 128], outputs: 10, ...c.spec }), c.optimizer, options);
      for (const [kind, model] of [
        ['training', a.trainingModel],
        ['training_epoch', a.epochModel],
        ['eval', a.evalModel],
      ] as const) {
        const path = join(dir, `${c.name}.${kind}_model.onnx`);
        await writeFile(path, encodeModel(model));
        files.push(path);
      }
    }
    // The exports with a `missing` mask input (onnx-mlp export --missing mask) of the three kinds of tabular model.
    const records = syntheticRecords(120, 3);
    for (const task of MASK_TASKS) {
      const exported = await exportMissingMask(decodeModel((await trainTabularModel(records, task)).bytes));
      const path = join(dir, `${task}.mask_model.onnx`);
      await writeFile(path, encodeModel(exported));
      files.push(path);
    }
    // A negative control: the same eval graph with one op renamed must be rejected, so a pass
    // above means the checker looked at the graph.
    const evalModel = buildTrainingArtifacts(mlpSpec({ inputs: 784, hidden: [8], outputs: 10 }), optimizerConfig('adam')).evalModel;
    const nodes = evalModel.graph.nodes.map((n, i) => (i === 0 ? { ...n, opType: 'NoSuchOp' } : n));
    await writeFile(join(dir, BROKEN), encodeModel({ ...evalModel, graph: { ...evalModel.graph, nodes } }));
    checks = new Map((await checkWithOnnx([CHECKED_IN, ...files, join(dir, BROKEN)])).map((c) => [c.path, c]));
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it('models/mnist-mlp.onnx: valid, IR 8, opset 17, default-domain ops only', (ctx) => {
    skipIfMissing(ctx, onnx);
    expectStandardOnnx(checks.get(CHECKED_IN));
  });

  it('models/mnist-mlp.onnx read back with core: same IR, opset and domains, an inference graph', async () => {
    const model = decodeModel(await readFile(CHECKED_IN));
    expect(model.irVersion).toBe(8);
    expect([...model.opsetImports]).toEqual([['', 17]]);
    const ops = new Set(model.graph.nodes.map((n) => n.opType));
    expect(model.graph.nodes.every((n) => (n.domain ?? '') === '')).toBe(true);
    expect(ops.has('Gemm') && ops.has('Softmax')).toBe(true);
    for (const op of ['Dropout', 'LogSoftmax', 'OneHot', 'Sqrt']) expect(ops.has(op), op).toBe(false);
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['input']);
    expect(model.graph.outputs.map((v) => v.name)).toEqual(['probabilities', 'label']);
  });

  it.for(CONFIGS.flatMap((c) => [`${c.name}.training_model.onnx`, `${c.name}.training_epoch_model.onnx`, `${c.name}.eval_model.onnx`]))(
    'freshly built %s: valid, IR 8, opset 17, default-domain ops only',
    (name, ctx) => {
      skipIfMissing(ctx, onnx);
      expectStandardOnnx(checks.get(join(dir, name)));
    },
  );

  it.for(MASK_TASKS.map((t) => `${t}.mask_model.onnx`))(
    'the %s export with a mask input: valid, IR 8, opset 17, default-domain ops only',
    (name, ctx) => {
      skipIfMissing(ctx, onnx);
      expectStandardOnnx(checks.get(join(dir, name)));
    },
  );

  it('rejects a graph with an unknown op (the check is not vacuous)', (ctx) => {
    skipIfMissing(ctx, onnx);
    expect(checks.get(join(dir, BROKEN))?.error).toMatch(/NoSuchOp/);
  });
});
