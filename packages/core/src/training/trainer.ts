import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import { InvalidArgumentError } from '../errors.js';
import { initParameters, zeroSlots } from '../model/parameters.js';
import { Rng } from '../model/rng.js';
import { type EpochContext, type EpochTotals, trainBatches, wholeData } from './batch-runner.js';
import { range } from './batches.js';
import { type Dataset, checkDataset, targetWidth } from './dataset.js';
import { type EpochBody, type ValidationSource, runEpochs } from './epoch-loop.js';
import { type Evaluation, evaluateDataset } from './evaluate.js';
import type { FitChunksOptions, FitOptions } from './fit-options.js';
import type { OrtRuntime } from './runtime.js';
import { trainPrivateEpoch } from './private-epoch.js';
import { RuntimeState } from './runtime-state.js';
import { type LearningRateSchedule, constantRate } from './schedule.js';
import { type Sessions, type TrainerOptions, openSessions, readToHost } from './sessions.js';
import { holdOut } from './split.js';
import type { EpochRecord, TrainingState } from './state.js';

export type { BatchEvent } from './batch-runner.js';
export { TrainingDivergedError } from './diverged.js';
export type { FitChunksOptions, FitOptions } from './fit-options.js';
export type { TrainerOptions } from './sessions.js';
export type { TrainingState } from './state.js';

/** A fresh run's state: seeded initial weights, zero optimizer state. */
export function initialState(artifacts: TrainingArtifacts, seed: number): TrainingState {
  const rng = new Rng(seed);
  const parameters = initParameters(artifacts.spec, rng);
  return { parameters, optimizerState: zeroSlots(parameters, artifacts.slots), epoch: 0, step: 0, rng: rng.state(), history: [] };
}

/** Validation chunks, each checked against the spec as it comes. */
async function* checkedChunks(spec: TrainingArtifacts['spec'], chunks: AsyncIterable<Dataset>): AsyncIterable<Dataset> {
  for await (const chunk of chunks) {
    checkDataset(spec, chunk, 'validation data');
    yield chunk;
  }
}

/** `onBatchEnd` reporting losses × `lossScale`, as the history records them. */
function scaledBatchEvents(o: Pick<FitOptions, 'onBatchEnd' | 'lossScale'>): FitOptions['onBatchEnd'] {
  const { onBatchEnd, lossScale = 1 } = o;
  if (!onBatchEnd || lossScale === 1) return onBatchEnd;
  return (event) => onBatchEnd({ ...event, loss: event.loss * lossScale });
}

/** Batch size, schedule and epoch-model use of one `fit` or `fitChunks` call, checked. */
interface EpochSettings {
  readonly batchSize: number;
  readonly schedule: LearningRateSchedule;
  /** Whether full batches run in the epoch Loop. */
  readonly loop: boolean;
}

/**
 * Runs an MLP's training artifacts on any ONNX Runtime. Parameters and optimizer state stay as
 * flat runtime tensors between runs; each epoch is one Loop `run()` plus one step for a partial
 * last batch (or one `run()` a batch with `loop: false`).
 */
export class Trainer {
  private readonly run: RuntimeState;
  /** True when the last `fit` ended on its early-stopping rule. */
  stoppedEarly = false;

  private constructor(
    private readonly ort: OrtRuntime,
    readonly artifacts: TrainingArtifacts,
    private readonly sessions: Sessions,
    state: TrainingState,
  ) {
    this.run = new RuntimeState(ort, artifacts, state);
  }

  /** Creates the sessions on `ort` and loads `state` into them. */
  static async create(ort: OrtRuntime, artifacts: TrainingArtifacts, state: TrainingState, options: TrainerOptions = {}): Promise<Trainer> {
    return new Trainer(ort, artifacts, await openSessions(ort, artifacts, options), state);
  }

  /** Trains until `options.epochs` epochs are complete and returns the whole history. */
  async fit(data: Dataset, options: FitOptions): Promise<readonly EpochRecord[]> {
    const { spec } = this.artifacts;
    const settings = this.settings(options);
    const [train, validation] = holdOut(data, options, targetWidth(spec));
    checkDataset(spec, train, 'training data');
    if (validation) checkDataset(spec, validation, 'validation data');
    const whole = settings.loop ? wholeData(this.ort, spec, train) : undefined;
    return this.epochs(options, { data: () => validation, given: validation !== undefined }, async (epoch, totals) => {
      const batches = Math.ceil(train.rows / settings.batchSize);
      if (options.privacy)
        return trainPrivateEpoch(this.epochContext(settings, { epoch, totals, batches, options }), train, whole, options.privacy);
      const order = options.shuffle === false ? range(train.rows) : this.run.rng.permutation(train.rows);
      await trainBatches(this.epochContext(settings, { epoch, totals, batches, options }), { data: train, whole, order, firstBatch: 0 });
      return train.rows;
    });
  }

  /**
   * Trains until `options.epochs` epochs are complete on data that comes in chunks: every epoch
   * calls `chunksPerEpoch()` and trains on each chunk it yields in turn (its full batches in one run
   * of the epoch Loop, the rest through the step model), so only one chunk need be in memory. Rows
   * are shuffled within each chunk (the caller shuffles across them, e.g. with a shuffle buffer).
   * Validation, history, `onEpochEnd` checkpoints, early stopping and divergence are as in `fit`.
   */
  async fitChunks(chunksPerEpoch: () => AsyncIterable<Dataset>, options: FitChunksOptions): Promise<readonly EpochRecord[]> {
    const { spec } = this.artifacts;
    if (this.artifacts.options.privacy) {
      throw new InvalidArgumentError(
        'privacy',
        this.artifacts.options.privacy,
        'needs every training row in memory (Poisson sampling): use fit',
      );
    }
    const settings = this.settings(options);
    const validation: ValidationSource = {
      data: () => {
        const v = options.validationData?.();
        if (!v) return undefined;
        if (!('features' in v)) return checkedChunks(spec, v);
        checkDataset(spec, v, 'validation data');
        return v;
      },
      given: options.validationData !== undefined,
    };
    return this.epochs(options, validation, async (epoch, totals) => {
      const ctx = this.epochContext(settings, { epoch, totals, batches: options.batchesPerEpoch ?? 0, options });
      let rows = 0;
      let batch = 0;
      for await (const chunk of chunksPerEpoch()) {
        if (chunk.rows === 0) continue;
        checkDataset(spec, chunk, 'training chunk');
        const whole = settings.loop ? wholeData(this.ort, spec, chunk) : undefined;
        const order = options.shuffle === false ? range(chunk.rows) : this.run.rng.permutation(chunk.rows);
        await trainBatches(ctx, { data: chunk, whole, order, firstBatch: batch });
        batch += Math.ceil(chunk.rows / settings.batchSize);
        rows += chunk.rows;
      }
      if (rows === 0) throw new InvalidArgumentError('chunksPerEpoch', 'empty', 'yielded no training rows');
      return rows;
    });
  }

  /** Mean loss (and accuracy for classifiers) of `data` under the current parameters, dropout off. */
  async evaluate(data: Dataset, batchSize = 1024): Promise<Evaluation> {
    return evaluateDataset({ ort: this.ort, artifacts: this.artifacts, sessions: this.sessions, params: this.run.params }, data, batchSize);
  }

  /** A copy of the current parameters, optimizer state, counters and history, by name. */
  async state(): Promise<TrainingState> {
    return this.run.toTrainingState((t: Tensor) => readToHost(this.sessions, t));
  }

  /** Where the parameters live between steps: 'cpu', or 'gpu-buffer' with keepStateOnDevice. */
  get stateLocation(): string {
    return this.run.params.location;
  }

  /** Releases every session. */
  async release(): Promise<void> {
    for (const s of Object.values(this.sessions) as (InferenceSession | undefined)[]) await s?.release();
  }

  /** Checks the options both fits share and resolves their defaults. */
  private settings(options: Pick<FitOptions, 'batchSize' | 'epochs' | 'learningRate' | 'loop' | 'privacy'>): EpochSettings {
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new InvalidArgumentError('batchSize', batchSize, 'must be a positive integer');
    if (!Number.isInteger(options.epochs) || options.epochs <= 0)
      throw new InvalidArgumentError('epochs', options.epochs, 'must be a positive integer');
    const schedule = options.learningRate ?? constantRate(this.artifacts.optimizer.learningRate);
    if ((options.privacy === undefined) !== (this.artifacts.options.privacy === undefined)) {
      throw new InvalidArgumentError('privacy', options.privacy, 'must be given exactly when the artifacts are built for private steps');
    }
    const sigma = options.privacy?.noiseMultiplier ?? 0;
    if (!(Number.isFinite(sigma) && sigma >= 0)) throw new InvalidArgumentError('privacy.noiseMultiplier', sigma, 'must be a number >= 0');
    return { batchSize, schedule, loop: options.loop !== false && this.sessions.epoch !== undefined };
  }

  /** The context the batches of one epoch share. */
  private epochContext(
    settings: EpochSettings,
    at: { epoch: number; totals: EpochTotals; batches: number; options: Pick<FitOptions, 'onBatchEnd' | 'lossScale'> },
  ): EpochContext {
    const { ort, artifacts, sessions, run } = this;
    const { batchSize, schedule } = settings;
    return {
      ort,
      artifacts,
      sessions,
      run,
      batchSize,
      schedule,
      epoch: at.epoch,
      totals: at.totals,
      batches: at.batches,
      onBatchEnd: scaledBatchEvents(at.options),
    };
  }

  /** Runs the epoch loop and returns the whole history. */
  private async epochs(
    options: FitChunksOptions | FitOptions,
    validation: ValidationSource,
    body: EpochBody,
  ): Promise<readonly EpochRecord[]> {
    this.stoppedEarly = false;
    const host = { spec: this.artifacts.spec, run: this.run, evaluate: (d: Dataset) => this.evaluate(d), state: () => this.state() };
    this.stoppedEarly = await runEpochs(host, options, validation, body);
    return [...this.run.history];
  }
}
