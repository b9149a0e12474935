import { InvalidArgumentError } from '../errors.js';

/** A learning-rate schedule: the rate for the 1-based optimizer step `step` (JAX's step -> rate). */
export type LearningRateSchedule = (step: number) => number;

/** The same rate at every step. */
export function constantRate(rate: number): LearningRateSchedule {
  return () => rate;
}

/** Multiplies the rate by `gamma` every `every` steps (Keras' staircase ExponentialDecay, PyTorch's StepLR). */
export function stepDecay(rate: number, every: number, gamma: number): LearningRateSchedule {
  positive('every', every);
  return (step) => rate * gamma ** Math.floor((step - 1) / every);
}

/** Cosine decay from `rate` at step 1 to `minRate` at step `total`, then held (Loshchilov & Hutter, no restarts). */
export function cosineDecay(rate: number, total: number, minRate = 0): LearningRateSchedule {
  positive('total', total);
  return (step) => {
    const t = Math.min(step - 1, total - 1) / Math.max(total - 1, 1);
    return minRate + 0.5 * (rate - minRate) * (1 + Math.cos(Math.PI * t));
  };
}

/** Ramps linearly from rate/warmup at step 1 to the inner schedule's rate at step `warmup`, then follows it. */
export function linearWarmup(warmup: number, inner: LearningRateSchedule): LearningRateSchedule {
  positive('warmup', warmup);
  return (step) => (step < warmup ? (inner(step) * step) / warmup : inner(step));
}

function positive(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidArgumentError(field, value, 'must be a positive integer');
}

/** The schedules `parseSchedule` knows, as the CLI spells them. */
export const SCHEDULES = ['constant', 'step', 'cosine'] as const;

/** Options of a schedule named on the command line. */
export interface ScheduleOptions {
  readonly name: string;
  readonly rate: number;
  /** Steps in the whole run (for cosine). */
  readonly totalSteps: number;
  /** step: decay every this many steps. @defaultValue a third of the run */
  readonly every?: number;
  /** step: factor per decay. @defaultValue 0.1 */
  readonly gamma?: number;
  /** cosine: final rate. @defaultValue 0 */
  readonly minRate?: number;
  /** Linear warm-up steps before the schedule. @defaultValue 0 */
  readonly warmup?: number;
}

/** A schedule from its name and options; throws InvalidArgumentError naming 'schedule' for an unknown name. */
export function parseSchedule(o: ScheduleOptions): LearningRateSchedule {
  let s: LearningRateSchedule;
  switch (o.name) {
    case 'constant':
      s = constantRate(o.rate);
      break;
    case 'step':
      s = stepDecay(o.rate, o.every ?? Math.max(1, Math.ceil(o.totalSteps / 3)), o.gamma ?? 0.1);
      break;
    case 'cosine':
      s = cosineDecay(o.rate, o.totalSteps, o.minRate ?? 0);
      break;
    default:
      throw new InvalidArgumentError('schedule', o.name, `must be one of ${SCHEDULES.join(', ')}`);
  }
  return o.warmup ? linearWarmup(o.warmup, s) : s;
}
