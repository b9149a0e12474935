// The explain graphs are standard ONNX: onnx.checker (full_check, Debian's python3-onnx) accepts them.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { buildExplainModel } from '@onnx-mlp/core/explain';
import { smallModel } from '../packages/core/test/helpers/explain-models.js';
import { type OnnxCheck, checkWithOnnx, importOnnx } from './helpers/python-onnx.js';
import { MissingTool, requireTool, skipIfMissing } from './helpers/require-tool.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));
const NAMES = ['mnist.integrated-gradients', 'mnist.gradient', 'tabular-multiclass.integrated-gradients', 'tabular-regression.gradient'];

describe('explain models pass onnx.checker.check_model(full_check=True)', () => {
  let onnx: string | MissingTool | undefined;
  let dir: string;
  let checks = new Map<string, OnnxCheck>();

  beforeAll(async () => {
    onnx = await requireTool('python3-onnx', importOnnx);
    if (onnx instanceof MissingTool) return;
    dir = await makeTempDir();
    const mnist = decodeModel(await readFile(MNIST_MODEL));
    const models = [
      buildExplainModel(mnist, { steps: 8 }).model,
      buildExplainModel(mnist, { method: 'gradient' }).model,
      buildExplainModel(smallModel('multiclass')).model,
      buildExplainModel(smallModel('regression'), { method: 'gradient' }).model,
    ];
    const paths = NAMES.map((n) => join(dir, `${n}.onnx`));
    await Promise.all(models.map((m, i) => writeFile(paths[i]!, encodeModel(m))));
    checks = new Map((await checkWithOnnx(paths)).map((c, i) => [NAMES[i]!, c]));
  });
  afterAll(async () => {
    if (dir) await removeDir(dir);
  });

  it.for(NAMES)('%s: valid, IR 8, opset 17, default-domain ops only', (name, ctx) => {
    skipIfMissing(ctx, onnx);
    const check = checks.get(name)!;
    expect(check.error, `${name}: onnx.checker`).toBeNull();
    expect(check.irVersion).toBe(8);
    expect(check.opsets).toEqual([['', 17]]);
    expect(check.nodeDomains).toEqual(['']);
  });
});
