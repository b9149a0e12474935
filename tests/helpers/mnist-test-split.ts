import { stratifiedSplit, type Dataset } from '@onnx-mlp/core';
import { loadMnistDigits } from '../../packages/cli/src/data/mnist.js';

/**
 * The 2,000 held-out digits `onnx-mlp train --seed <seed>` reports on, rebuilt here from the
 * documented recipe (stratifiedSplit(all, 8000, seed)) rather than taken from the CLI.
 */
export async function mnistTestSplit(seed = 42): Promise<Dataset> {
  const [, test] = stratifiedSplit(await loadMnistDigits(), 8000, seed);
  return test;
}
