import type { EpochRecord } from './state.js';
import { InvalidArgumentError } from '../errors.js';

/** Keras' EarlyStopping options. */
export interface EarlyStopping {
  /** @defaultValue 'val_loss' (or 'loss' without validation data) */
  readonly monitor?: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** Smallest change that counts as an improvement. @defaultValue 0 */
  readonly minDelta?: number;
  /** Put back the parameters of the best epoch when training ends. @defaultValue false */
  readonly restoreBestWeights?: boolean;
}

/** Where a run stands against its early-stopping rule, derived from the history alone. */
export interface StoppingStatus {
  readonly bestEpoch: number;
  /** Whether the last epoch is the best so far. */
  readonly improved: boolean;
  readonly stop: boolean;
}

const FIELD = { loss: 'loss', accuracy: 'accuracy', val_loss: 'valLoss', val_accuracy: 'valAccuracy' } as const;

/**
 * Judges the history against the rule. Derived from the history only (which checkpoints keep), so
 * a resumed run counts patience exactly as an uninterrupted one.
 */
export function stoppingStatus(history: readonly EpochRecord[], rule: EarlyStopping, monitor: keyof typeof FIELD): StoppingStatus {
  if (!Number.isInteger(rule.patience) || rule.patience < 0)
    throw new InvalidArgumentError('patience', rule.patience, 'must be an integer >= 0');
  const higherIsBetter = monitor.endsWith('accuracy');
  const minDelta = Math.abs(rule.minDelta ?? 0);
  let best = higherIsBetter ? -Infinity : Infinity;
  let bestEpoch = 0;
  for (const r of history) {
    const v = r[FIELD[monitor]];
    if (v === undefined) throw new InvalidArgumentError('monitor', monitor, 'is not recorded: validation metrics need validation data');
    if (higherIsBetter ? v > best + minDelta : v < best - minDelta) {
      best = v;
      bestEpoch = r.epoch;
    }
  }
  const last = history[history.length - 1]?.epoch ?? 0;
  // Keras: stop once `patience` epochs in a row failed to improve (patience 0 acts as 1).
  return { bestEpoch, improved: bestEpoch === last, stop: last - bestEpoch >= Math.max(rule.patience, 1) };
}
