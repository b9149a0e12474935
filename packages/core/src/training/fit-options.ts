import type { BatchEvent } from './batch-runner.js';
import type { Dataset } from './dataset.js';
import type { EarlyStopping } from './early-stopping.js';
import type { PrivateFit } from './private-epoch.js';
import type { LearningRateSchedule } from './schedule.js';
import type { EpochRecord, TrainingState } from './state.js';

/** Options of `Trainer.fit`, named as Keras' `fit` names them. */
export interface FitOptions {
  /** Train until this many epochs are complete (counting epochs done before a resume). */
  readonly epochs: number;
  /** @defaultValue 32 */
  readonly batchSize?: number;
  /** Reshuffle the training rows every epoch. @defaultValue true */
  readonly shuffle?: boolean;
  /** @defaultValue the optimizer's constant learning rate */
  readonly learningRate?: LearningRateSchedule;
  /** Scored after every epoch with the eval model. */
  readonly validationData?: Dataset;
  /** Hold out this fraction of the training rows, the last ones before shuffling (as Keras does). */
  readonly validationSplit?: number;
  /** Stop when the monitored metric stops improving. @defaultValue off (train all `epochs`) */
  readonly earlyStopping?: EarlyStopping;
  /**
   * Run each epoch's full batches inside one ONNX Loop (one `run()` an epoch) rather than one
   * `run()` a batch. Same arithmetic, less overhead; turn off where Loop runs on a slow path.
   * @defaultValue true
   */
  readonly loop?: boolean;
  /**
   * Differentially private training (artifacts built with `privacy`): Poisson-sampled batches of
   * expected size `batchSize` and the noise multiplier σ; `shuffle` does not apply. @defaultValue off
   */
  readonly privacy?: PrivateFit;
  /** Called after each mini-batch with its loss and position. */
  readonly onBatchEnd?: (event: BatchEvent) => void;
  /**
   * Multiplies the losses the history records (and `onBatchEnd` reports): a regression trained on
   * standardised targets reports its mean squared error in the label's units with scale².
   * Early stopping's `minDelta` is in the same units. @defaultValue 1
   */
  readonly lossScale?: number;
  /** Called after each epoch with its record and the state to checkpoint. */
  readonly onEpochEnd?: (record: EpochRecord, state: TrainingState) => void | Promise<void>;
}

/** Options of `Trainer.fitChunks`: those of `fit`, with validation rows that may arrive during the first epoch. */
export interface FitChunksOptions extends Omit<FitOptions, 'validationData' | 'validationSplit'> {
  /**
   * Scored after every epoch when it returns rows (asked after each epoch's chunks): whole, or as
   * chunks scored one at a time (the mean over all their rows), so that only one is in memory.
   */
  readonly validationData?: () => Dataset | AsyncIterable<Dataset> | null | undefined;
  /** The batch count `onBatchEnd` events report, when the caller knows it. @defaultValue 0 */
  readonly batchesPerEpoch?: number;
}
