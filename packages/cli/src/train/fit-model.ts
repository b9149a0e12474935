import * as ort from 'onnxruntime-node';
import { Trainer, TrainingDivergedError, initialState, type BatchEvent, type EpochRecord, type TrainingState } from '@onnx-mlp/core';
import { epsilonAfter } from '@onnx-mlp/core/privacy';
import { labelUnitLossFactor } from '@onnx-mlp/core/preprocess';
import { UserError } from '../errors.js';
import { earlyStoppingRule, learningRateSchedule, stoppingOutcome } from './controls.js';
import { checkpointBytes } from './model-bytes.js';
import { formatOpTable, opTypeTimes, profilingOptions, readProfileEvents, scopeTimes } from './op-profile.js';
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
 * (config and the last good checkpoint) and says where it is. With `profile`, ORT traces every
 * kernel into the run folder and the op-type table is printed on stderr (and written as profile.md).
 */
export async function fitModel(ctx: RunContext, options: { profile: boolean } = { profile: false }): Promise<TrainedModel> {
  const {
    run: { config, artifacts, resumed },
  } = ctx;
  const start = resumed ? resumed.checkpoint : initialState(artifacts, config.seed);
  const base = ctx.device.trainerOptions;
  const trainerOptions = options.profile ? { ...base, sessionOptions: { ...base.sessionOptions, ...profilingOptions(ctx.folder) } } : base;
  const trainer = await Trainer.create(ort, artifacts, start, trainerOptions);
  let epochs = 0;
  try {
    ctx.progress.training(start.epoch + 1);
    const history = await fitEpochs(ctx, trainer, start.epoch);
    epochs = history.length - start.epoch;
    // With early stopping, the best epoch's weights (restoreBestWeights); otherwise the last epoch's.
    const { parameters } = await trainer.state();
    return { history, parameters, stopping: stoppingOutcome(config.earlyStopping, history, trainer.stoppedEarly) };
  } catch (e) {
    if (e instanceof TrainingDivergedError) throw new UserError(`${e.message} (partial run in ${ctx.folder})`, { cause: e });
    throw e;
  } finally {
    await trainer.release();
    // ORT writes each session's trace when the session is released.
    if (options.profile && epochs > 0) await reportProfile(ctx, epochs);
  }
}

/** Prints (stderr) and writes (profile.md) the op-type table of the traces in the run folder. */
async function reportProfile(ctx: RunContext, epochs: number): Promise<void> {
  const events = await readProfileEvents(ctx.folder);
  const lines = [...formatOpTable(opTypeTimes(events), epochs), '', ...formatOpTable(scopeTimes(events), epochs, 'scope')];
  process.stderr.write(`${lines.join('\n')}\n`);
  await ctx.files.writeBytes(RUN_FILES.profileTable, new TextEncoder().encode(`${lines.join('\n')}\n`));
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
    ...(run.privacy ? { privacy: { noiseMultiplier: run.privacy.noiseMultiplier } } : {}),
    onBatchEnd: (event: BatchEvent) => progress.batch(event),
    onEpochEnd: async (record: EpochRecord, state: TrainingState) => {
      progress.epoch(run.privacy ? { ...record, epsilon: epsilonAfter(run.privacy, record.epoch) } : record);
      await files.writeBytes(RUN_FILES.checkpoint, checkpointBytes(run, state));
      await files.writeJson(RUN_FILES.history, state.history);
    },
  };
}
