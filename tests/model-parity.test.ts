import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, type Dataset } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { accuracyOf, probabilitiesOf } from './helpers/classifier-output.js';
import { mnistTestSplit } from './helpers/mnist-test-split.js';

const MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));

describe('models/mnist-mlp.onnx (checked in, made by `npm run models`)', () => {
  let bytes: Uint8Array;
  let test: Dataset;
  let onNode: Float32Array;

  beforeAll(async () => {
    // One WASM thread: no worker threads to start in Node, and threads gave no gain on 2 cores.
    // The .wasm is found next to onnxruntime-web's own dist/ module, so wasmPaths stays unset.
    ortWeb.env.wasm.numThreads = 1;
    bytes = await readFile(MODEL);
    test = await mnistTestSplit(42);
    onNode = await probabilitiesOf(ortNode, bytes, test);
  });

  it('gives the same probabilities in onnxruntime-node (CPU) and onnxruntime-web (WASM) on all 2,000 test digits', async () => {
    const onWeb = await probabilitiesOf(ortWeb, bytes, test);
    expect(onWeb.length).toBe(2000 * 10);
    expect(onNode.length).toBe(onWeb.length);
    let worst = 0;
    for (let i = 0; i < onNode.length; i++) worst = Math.max(worst, Math.abs(onNode[i]! - onWeb[i]!));
    expect(worst).toBeLessThan(1e-5);
    // Rows are distributions, so equality is not the trivial all-zeros case.
    for (const probs of [onNode, onWeb]) {
      for (const row of [0, 999, 1999]) {
        const sum = probs.subarray(row * 10, row * 10 + 10).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 5);
      }
    }
  });

  it('classifies at least 93% of the 2,000 held-out test digits, as its metadata says', () => {
    const accuracy = accuracyOf(onNode, test.targets, 10);
    console.info(`models/mnist-mlp.onnx: test accuracy ${(accuracy * 100).toFixed(2)}% on ${test.rows} digits`);
    expect(accuracy).toBeGreaterThanOrEqual(0.93);
    const training = JSON.parse(decodeModel(bytes).metadata.get(META.training)!);
    expect(training.testAccuracy).toBe(accuracy);
  });

  it('records the default training: 784-128-128-10 relu, Adam 1e-3 (eps 1e-7), batch 128, 10 epochs, seed 42', () => {
    const meta = decodeModel(bytes).metadata;
    expect(JSON.parse(meta.get(META.spec)!)).toMatchObject({
      inputs: 784,
      hidden: [128, 128],
      outputs: 10,
      activation: 'relu',
      task: 'multiclass',
      dropout: 0,
    });
    expect(JSON.parse(meta.get(META.classNames)!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(JSON.parse(meta.get(META.training)!)).toMatchObject({
      epochs: 10,
      batchSize: 128,
      seed: 42,
      trainRows: 8000,
      testRows: 2000,
      optimizer: { kind: 'adam', learningRate: 0.001, epsilon: 1e-7 },
    });
  });
});
