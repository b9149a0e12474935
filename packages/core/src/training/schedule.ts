/** A learning-rate schedule: the rate for the 1-based optimizer step `step`. */
export type LearningRateSchedule = (step: number) => number;

/** The same rate at every step. */
export function constantRate(rate: number): LearningRateSchedule {
  return () => rate;
}
