import * as ort from 'onnxruntime-node';
import { Trainer, TrainingDivergedError, initialState, type BatchEvent, type EpochRecord, type TrainingState } from '@onnx-mlp/core';
import { labelUnitLossFactor } from '@onnx-mlp/core/preprocess';
import { UserError } from '../errors.js';
import { earlyStoppingRule, learningRateSchedule, stoppingOutcome } from './controls.js';
import { checkpointBytes } from './model-bytes.js';
import type { RunContext, TrainedModel } from './run-context.js';
import { RUN_FILES } from './run-files.js';

/** Batches of a streamed epoch: every full shuffle buffer, then the rest, each cut into batches. */
export function streamedBatches(rows: number, buffer: number, batchSize: number): number {
  const full = Math.floor(rows / buffer);
  return full * Math.ceil(buffer / batchSize) + Math.ceil((rows - full * buffer) / batchSize);
}

/**
 * Trains from the run's start (a fresh initialisation or the resumed checkpoint) for the remaining
 * epochs, writing the checkpoint and history after every epoch. A run that diverges keeps its folder
 * (config and the last good checkpoint) and says where it is.
 */
export async function fitModel(ctx: RunContext): Promise<TrainedModel> {
  const {
    run: { config, artifacts, resumed, data },
  } = ctx;
  const start = resumed ? resumed.checkpoint : initialState(artifacts, config.seed);
  const trainer = await Trainer.create(ort, artifacts, start, ctx.device.trainerOptions);
  try {
    ctx.progress.training(start.epoch + 1);
    const history = await fitEpochs(ctx, trainer, start.epoch);
    // With early stopping, the best epoch's weights (restoreBestWeights); otherwise the last epoch's.
    const { parameters } = await trainer.state();
    return { history, parameters, stopping: stoppingOutcome(config.earlyStopping, history, trainer.stoppedEarly) };
  } catch (e) {
    if (e instanceof TrainingDivergedError) throw new UserError(`${e.message} (partial run in ${ctx.folder})`, { cause: e });
    throw e;
  } finally {
    await trainer.release();
    await data.stream?.release();
  }
}

/** The trainer's epoch loop over the data in memory, or (--stream) over the file read again every epoch. */
async function fitEpochs(ctx: RunContext, trainer: Trainer, startEpoch: number): Promise<readonly EpochRecord[]> {
  const {
    run: { config, data },
  } = ctx;
  const common = fitOptions(ctx);
  if (!data.stream) return trainer.fit(data.train, { ...common, ...(data.validation ? { validationData: data.validation } : {}) });
  // The shuffle buffers are seeded by the epoch.
  const stream = data.stream;
  let epoch = startEpoch;
  const history = await trainer.fitChunks(() => stream.chunks(++epoch), {
    ...common,
    ...(data.rows.validation !== null ? { validationData: () => stream.validation() } : {}),
    batchesPerEpoch: streamedBatches(data.rows.train, stream.shuffleBuffer, config.batchSize),
  });
  await stream.collectHeldOut();
  return history;
}

/** What fit and fitChunks share: epochs, batches, schedule, early stopping, and the per-epoch checkpoint. */
function fitOptions(ctx: RunContext) {
  const { run, device, files, progress } = ctx;
  const { config } = run;
  const learningRate = learningRateSchedule(config.schedule, config.optimizer.learningRate);
  const earlyStopping = earlyStoppingRule(config.earlyStopping);
  const lossScale = run.data.targetScaling ? labelUnitLossFactor(run.data.targetScaling) : null;
  return {
    ...(lossScale !== null ? { lossScale } : {}),
    epochs: config.epochs,
    batchSize: config.batchSize,
    ...(learningRate ? { learningRate } : {}),
    ...(earlyStopping ? { earlyStopping } : {}),
    loop: device.loop,
    onBatchEnd: (event: BatchEvent) => progress.batch(event),
    onEpochEnd: async (record: EpochRecord, state: TrainingState) => {
      progress.epoch(record);
      await files.writeBytes(RUN_FILES.checkpoint, checkpointBytes(run, state));
      await files.writeJson(RUN_FILES.history, state.history);
    },
  };
}
