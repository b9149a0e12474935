import type { Tensor } from 'onnxruntime-common';
import { IO } from '../artifacts/io-names.js';
import { gaussianNoise, type PoissonBatches, poissonBatches } from '../privacy/poisson-batches.js';
import { type EpochContext, type WholeData, countCorrect } from './batch-runner.js';
import { drawNoise, gatherTargets, targetTensor } from './batches.js';
import { type Dataset, selectRows, targetWidth } from './dataset.js';
import { TrainingDivergedError } from './diverged.js';

/** The host side of differentially private training: the noise multiplier σ. */
export interface PrivateFit {
  /** Noise standard deviation over the clipping bound: N(0, σ²C²) is added to each clipped sum. */
  readonly noiseMultiplier: number;
}

/** A private run's sampling: q = batch / rows, and an epoch of ceil(rows / batch) Poisson batches. */
export function privateSampling(rows: number, batchSize: number): { q: number; steps: number } {
  return { q: Math.min(1, batchSize / rows), steps: Math.ceil(rows / batchSize) };
}

/** One epoch's inputs beyond the rows: learning rates, dropout noise and the clipped sums' noise. */
interface StepDraws {
  readonly plan: PoissonBatches;
  readonly rates: Float32Array;
  readonly dropout: Float32Array[];
  readonly noise: Float32Array;
}

/** Draws an epoch's batches, dropout noise and gradient noise from the run's generator, in that order. */
function drawEpoch(ctx: EpochContext, data: Dataset, fit: PrivateFit): StepDraws {
  const { artifacts, run, batchSize } = ctx;
  const clipNorm = artifacts.options.privacy!.clipNorm;
  const { q, steps } = privateSampling(data.rows, batchSize);
  // Dividing by the expected batch size (not the drawn one) keeps each row's influence at C / B.
  const plan = poissonBatches(run.rng, { rows: data.rows, steps, q, weight: 1 / (q * data.rows) });
  const rates = Float32Array.from({ length: steps }, (_, k) => ctx.schedule(run.step + 1 + k));
  const dropout = drawNoise(run.rng, artifacts.noiseInputs, steps, plan.width);
  const noise = gaussianNoise(run.rng, steps * artifacts.layout.total, (fit.noiseMultiplier * clipNorm) / (q * data.rows));
  return { plan, rates, dropout, noise };
}

/**
 * One epoch of DP-SGD on `data`: Poisson-sampled batches padded to one width, per-example clipping
 * in the graph and the host's Gaussian noise; all steps in one run of the epoch Loop when `whole`
 * is given, else one run a step. Returns the rows scored (sampled and padding).
 */
export async function trainPrivateEpoch(ctx: EpochContext, data: Dataset, whole: WholeData | undefined, fit: PrivateFit): Promise<number> {
  const d = drawEpoch(ctx, data, fit);
  const { steps, width } = d.plan;
  const losses = new Float32Array(steps);
  const logits: Float32Array[] = [];
  if (whole && ctx.sessions.epoch) {
    const out = await ctx.sessions.epoch.run({ [IO.features]: whole.features, [IO.targets]: whole.targets, ...epochFeeds(ctx, d) });
    losses.set(out[IO.losses]!.data as Float32Array);
    checkLosses(ctx, losses);
    ctx.run.take(out);
    logits.push(out[IO.batchLogits]!.data as Float32Array);
  } else {
    for (let k = 0; k < steps; k++) {
      const out = await ctx.sessions.step.run(stepFeeds(ctx, data, d, k));
      losses[k] = (out[IO.loss]!.data as Float32Array)[0]!;
      checkLosses(ctx, losses.subarray(k, k + 1), k);
      ctx.run.take(out);
      logits.push(out[IO.logits]!.data as Float32Array);
    }
  }
  const spec = ctx.artifacts.spec;
  const targets = gatherTargets(data, d.plan.order, targetWidth(spec));
  const all = logits.length === 1 ? logits[0]! : Float32Array.from(logits.flatMap((l) => [...l]));
  ctx.totals.correct += countCorrect(spec, all, targets);
  losses.forEach((l, k) => {
    ctx.totals.lossSum += l * width;
    ctx.onBatchEnd?.({ epoch: ctx.epoch, batch: k + 1, batches: ctx.batches, loss: l });
  });
  ctx.run.step += steps;
  ctx.totals.rate = d.rates[steps - 1]!;
  return steps * width;
}

function checkLosses(ctx: EpochContext, losses: Float32Array, offset = 0): void {
  const bad = losses.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0) throw new TrainingDivergedError(ctx.epoch, ctx.run.step + offset + bad + 1, losses[bad]!);
}

/** The epoch model's inputs for the drawn epoch, bar the features and targets. */
function epochFeeds(ctx: EpochContext, d: StepDraws): Record<string, Tensor> {
  const { ort, artifacts, run } = ctx;
  const { steps, width } = d.plan;
  return {
    [IO.batchOrder]: new ort.Tensor(
      'int64',
      BigInt64Array.from(d.plan.order, (r) => BigInt(r)),
      [steps, width],
    ),
    [IO.learningRates]: new ort.Tensor('float32', d.rates, [steps]),
    [IO.firstStep]: new ort.Tensor('float32', Float32Array.of(run.step), []),
    [IO.rowWeights]: new ort.Tensor('float32', d.plan.weights, [steps, width]),
    [IO.gradientNoise]: new ort.Tensor('float32', d.noise, [steps, artifacts.layout.total]),
    ...run.feeds(),
    ...Object.fromEntries(
      artifacts.noiseInputs.map(({ layer, width: w }, l) => [
        IO.dropoutNoise(layer),
        new ort.Tensor('float32', d.dropout[l]!, [steps, width, w]),
      ]),
    ),
  };
}

/** The step model's inputs for step `k` of the drawn epoch. */
function stepFeeds(ctx: EpochContext, data: Dataset, d: StepDraws, k: number): Record<string, Tensor> {
  const { ort, artifacts, run } = ctx;
  const { width } = d.plan;
  const total = artifacts.layout.total;
  const rows = d.plan.order.subarray(k * width, (k + 1) * width);
  const batch = selectRows(data, rows, targetWidth(artifacts.spec));
  return {
    [IO.input]: new ort.Tensor('float32', batch.features, [width, data.cols]),
    [IO.target]: targetTensor(ort, artifacts.spec, batch.targets),
    [IO.learningRate]: new ort.Tensor('float32', d.rates.subarray(k, k + 1), []),
    [IO.step]: new ort.Tensor('float32', Float32Array.of(run.step + k + 1), []),
    [IO.rowWeights]: new ort.Tensor('float32', d.plan.weights.subarray(k * width, (k + 1) * width), [width]),
    [IO.gradientNoise]: new ort.Tensor('float32', d.noise.subarray(k * total, (k + 1) * total), [total]),
    ...run.feeds(),
    ...Object.fromEntries(
      artifacts.noiseInputs.map(({ layer, width: w }, l) => [
        IO.dropoutNoise(layer),
        new ort.Tensor('float32', d.dropout[l]!.subarray(k * width * w, (k + 1) * width * w), [width, w]),
      ]),
    ),
  };
}
