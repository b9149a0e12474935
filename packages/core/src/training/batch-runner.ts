import type { Tensor } from 'onnxruntime-common';
import { IO } from '../artifacts/io-names.js';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import { countCorrectBinary, countCorrectMulticlass } from '../metrics/classification.js';
import type { MlpSpec } from '../model/spec.js';
import { drawNoise, gatherTargets, targetTensor } from './batches.js';
import { type Dataset, selectRows, targetWidth } from './dataset.js';
import { TrainingDivergedError } from './diverged.js';
import type { OrtRuntime } from './runtime.js';
import type { RuntimeState } from './runtime-state.js';
import type { LearningRateSchedule } from './schedule.js';
import type { Sessions } from './sessions.js';

/** Progress after one mini-batch. */
export interface BatchEvent {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

/** What one epoch's batches added up to. */
export interface EpochTotals {
  lossSum: number;
  correct: number;
  rate: number;
}

/** Everything the batches of one epoch share. */
export interface EpochContext {
  readonly ort: OrtRuntime;
  readonly artifacts: TrainingArtifacts;
  readonly sessions: Sessions;
  readonly run: RuntimeState;
  readonly epoch: number;
  readonly batchSize: number;
  readonly schedule: LearningRateSchedule;
  /** Added to by every batch. */
  readonly totals: EpochTotals;
  /** The batch count `onBatchEnd` events report. */
  readonly batches: number;
  readonly onBatchEnd?: (event: BatchEvent) => void;
}

/** A dataset as the epoch model's inputs: all its rows, gathered into batches inside the Loop. */
export interface WholeData {
  readonly features: Tensor;
  readonly targets: Tensor;
}

/** Rows to train on: `order` of `data`, batches numbered from `firstBatch` + 1. */
export interface BatchPlan {
  readonly data: Dataset;
  /** `data` as tensors, when its full batches run in the epoch Loop. */
  readonly whole?: WholeData;
  readonly order: Int32Array;
  readonly firstBatch: number;
}

/** `data` as the epoch model's features and targets inputs. */
export function wholeData(ort: OrtRuntime, spec: MlpSpec, data: Dataset): WholeData {
  return { features: new ort.Tensor('float32', data.features, [data.rows, data.cols]), targets: targetTensor(ort, spec, data.targets) };
}

/** The rows of `plan` in batches: the full ones in one run of the epoch Loop (given `whole`), the rest one step each. */
export async function trainBatches(ctx: EpochContext, plan: BatchPlan): Promise<void> {
  const { batchSize } = ctx;
  const count = Math.ceil(plan.order.length / batchSize);
  const looped = plan.whole ? Math.floor(plan.order.length / batchSize) : 0;
  if (looped > 0) await runEpochLoop(ctx, plan, plan.order.subarray(0, looped * batchSize));
  for (let k = looped; k < count; k++) {
    const rows = plan.order.subarray(k * batchSize, Math.min(plan.order.length, (k + 1) * batchSize));
    const loss = await runStep(ctx, plan.data, rows);
    ctx.onBatchEnd?.({ epoch: ctx.epoch, batch: plan.firstBatch + k + 1, batches: ctx.batches, loss });
  }
}

/** The full batches `rows` of an epoch in one run of the epoch model. */
async function runEpochLoop(ctx: EpochContext, plan: BatchPlan, rows: Int32Array): Promise<void> {
  const { ort, artifacts, run, batchSize, totals, epoch } = ctx;
  const steps = rows.length / batchSize;
  const rates = Float32Array.from({ length: steps }, (_, k) => ctx.schedule(run.step + 1 + k));
  const noise = drawNoise(run.rng, artifacts.noiseInputs, steps, batchSize);
  const out = await ctx.sessions.epoch!.run({
    [IO.features]: plan.whole!.features,
    [IO.targets]: plan.whole!.targets,
    [IO.batchOrder]: new ort.Tensor(
      'int64',
      BigInt64Array.from(rows, (r) => BigInt(r)),
      [steps, batchSize],
    ),
    [IO.learningRates]: new ort.Tensor('float32', rates, [steps]),
    [IO.firstStep]: new ort.Tensor('float32', Float32Array.of(run.step), []),
    ...run.feeds(),
    ...Object.fromEntries(
      artifacts.noiseInputs.map(({ layer, width }, l) => [
        IO.dropoutNoise(layer),
        new ort.Tensor('float32', noise[l]!, [steps, batchSize, width]),
      ]),
    ),
  });
  const losses = out[IO.losses]!.data as Float32Array;
  const bad = losses.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0) throw new TrainingDivergedError(epoch, run.step + bad + 1, losses[bad]!);
  run.take(out);
  run.step += steps;
  const targets = gatherTargets(plan.data, rows, targetWidth(artifacts.spec));
  totals.correct += countCorrect(artifacts.spec, out[IO.batchLogits]!.data as Float32Array, targets);
  losses.forEach((l, k) => {
    totals.lossSum += l * batchSize;
    ctx.onBatchEnd?.({ epoch, batch: plan.firstBatch + k + 1, batches: ctx.batches, loss: l });
  });
  totals.rate = rates[steps - 1]!;
}

/** One mini-batch through the one-step model; returns its loss. */
async function runStep(ctx: EpochContext, data: Dataset, rows: Int32Array): Promise<number> {
  const {
    ort,
    artifacts: { spec, noiseInputs },
    run,
    totals,
  } = ctx;
  const batch = selectRows(data, rows, targetWidth(spec));
  const rate = ctx.schedule(run.step + 1);
  const noise = drawNoise(run.rng, noiseInputs, 1, rows.length);
  const out = await ctx.sessions.step.run({
    [IO.input]: new ort.Tensor('float32', batch.features, [rows.length, data.cols]),
    [IO.target]: targetTensor(ort, spec, batch.targets),
    [IO.learningRate]: new ort.Tensor('float32', Float32Array.of(rate), []),
    [IO.step]: new ort.Tensor('float32', Float32Array.of(run.step + 1), []),
    ...run.feeds(),
    ...Object.fromEntries(
      noiseInputs.map(({ layer, width }, l) => [IO.dropoutNoise(layer), new ort.Tensor('float32', noise[l]!, [rows.length, width])]),
    ),
  });
  const loss = (out[IO.loss]!.data as Float32Array)[0]!;
  if (!Number.isFinite(loss)) throw new TrainingDivergedError(ctx.epoch, run.step + 1, loss);
  run.take(out);
  run.step++;
  totals.lossSum += loss * rows.length;
  totals.correct += countCorrect(spec, out[IO.logits]!.data as Float32Array, batch.targets);
  totals.rate = rate;
  return loss;
}

/** Rows whose logits pick the right class (0 for regression, which has no accuracy). */
export function countCorrect(spec: MlpSpec, logits: Float32Array, targets: Float32Array): number {
  if (spec.task === 'regression') return 0;
  return spec.task === 'multiclass' ? countCorrectMulticlass(logits, targets, spec.outputs) : countCorrectBinary(logits, targets);
}
