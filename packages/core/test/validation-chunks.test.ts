import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { type Dataset, Trainer, buildTrainingArtifacts, initialState, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import { THREE_BLOBS, blobs } from './helpers/datasets.js';

/** `d`'s rows [start, start + n). */
function rowsOf(d: Dataset, start: number, n: number): Dataset {
  const width = d.targets.length / d.rows;
  return {
    features: d.features.subarray(start * d.cols, (start + n) * d.cols),
    rows: n,
    cols: d.cols,
    targets: d.targets.subarray(start * width, (start + n) * width),
  };
}

describe('fitChunks: validation rows given in chunks', () => {
  it('score as the same rows given whole (row-weighted mean loss and accuracy)', async () => {
    const spec = mlpSpec({ inputs: 2, hidden: [8], outputs: 3 });
    const train = blobs(THREE_BLOBS, 60, 0.8, 1);
    const validation = blobs(THREE_BLOBS, 35, 0.8, 2);
    const run = async (validationData: () => Dataset | AsyncIterable<Dataset>) => {
      const artifacts = buildTrainingArtifacts(spec, optimizerConfig('adam'));
      const t = await Trainer.create(ort, artifacts, initialState(artifacts, 4));
      try {
        return await t.fitChunks(
          async function* () {
            yield train;
          },
          { epochs: 2, batchSize: 16, validationData },
        );
      } finally {
        await t.release();
      }
    };
    const whole = await run(() => validation);
    // Uneven chunks: 40 + 40 + 25 rows.
    const chunked = await run(async function* () {
      yield rowsOf(validation, 0, 40);
      yield rowsOf(validation, 40, 40);
      yield rowsOf(validation, 80, 25);
    });
    expect(validation.rows).toBe(105);
    whole.forEach((r, i) => {
      expect(chunked[i]!.loss).toBe(r.loss);
      expect(chunked[i]!.valLoss).toBeCloseTo(r.valLoss!, 6);
      expect(chunked[i]!.valAccuracy).toBeCloseTo(r.valAccuracy!, 12);
    });
  });
});
