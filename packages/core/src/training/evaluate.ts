import type { Tensor } from 'onnxruntime-common';
import { IO } from '../artifacts/io-names.js';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import { countCorrect } from './batch-runner.js';
import { range, targetTensor } from './batches.js';
import { type Dataset, checkDataset, selectRows, targetWidth } from './dataset.js';
import type { OrtRuntime } from './runtime.js';
import type { Sessions } from './sessions.js';

/** Mean loss, and accuracy for classifiers. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy?: number;
}

/** What scoring needs: the eval session and the parameters to score. */
export interface EvaluationContext {
  readonly ort: OrtRuntime;
  readonly artifacts: TrainingArtifacts;
  readonly sessions: Sessions;
  readonly params: Tensor;
}

/** Mean loss (and accuracy for classifiers) of `data` under `ctx.params`, dropout off, `batchSize` rows a run. */
export async function evaluateDataset(ctx: EvaluationContext, data: Dataset, batchSize: number): Promise<Evaluation> {
  const {
    ort,
    artifacts: { spec },
  } = ctx;
  checkDataset(spec, data, 'evaluation data');
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.rows; start += batchSize) {
    const rows = range(Math.min(batchSize, data.rows - start), start);
    const batch = selectRows(data, rows, targetWidth(spec));
    const out = await ctx.sessions.eval.run({
      [IO.input]: new ort.Tensor('float32', batch.features, [rows.length, data.cols]),
      [IO.target]: targetTensor(ort, spec, batch.targets),
      [IO.parameters]: ctx.params,
    });
    lossSum += (out[IO.loss]!.data as Float32Array)[0]! * rows.length;
    correct += countCorrect(spec, out[IO.logits]!.data as Float32Array, batch.targets);
  }
  return { loss: lossSum / data.rows, ...(spec.task !== 'regression' ? { accuracy: correct / data.rows } : {}) };
}
