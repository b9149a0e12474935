import type { TensorMap } from '../model/parameters.js';
import type { RngState } from '../model/rng.js';

/** One epoch of a run's history, as Keras' History records it. */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly learningRate: number;
  readonly seconds: number;
}

/** Where a run stands: enough to continue it (and what a checkpoint stores). */
export interface TrainingState {
  /** Parameters by name (`dense1.weight`, ...). */
  readonly parameters: TensorMap;
  /** Optimizer state by parameter and slot (`dense1.weight.m`, ...). */
  readonly optimizerState: TensorMap;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer updates applied. */
  readonly step: number;
  /** The generator of shuffles and dropout noise, positioned after `epoch` epochs. */
  readonly rng: RngState;
  readonly history: readonly EpochRecord[];
}
