import type { MlpSpec } from '../model/spec.js';
import type { EpochTotals } from './batch-runner.js';
import type { Dataset } from './dataset.js';
import { stoppingStatus } from './early-stopping.js';
import { TrainingDivergedError } from './diverged.js';
import type { Evaluation } from './evaluate.js';
import type { FitOptions } from './fit-options.js';
import type { RuntimeState } from './runtime-state.js';
import type { EpochRecord, TrainingState } from './state.js';

/** What the epoch loop needs from the trainer. */
export interface EpochLoopHost {
  readonly spec: MlpSpec;
  readonly run: RuntimeState;
  /** Scores validation rows under the current parameters. */
  evaluate(data: Dataset): Promise<Evaluation>;
  /** The state handed to `onEpochEnd` (read back to the host). */
  state(): Promise<TrainingState>;
}

/** Where an epoch's validation rows come from. */
export interface ValidationSource {
  /** The rows to score after an epoch, if any yet: whole, or in chunks (scored one at a time, so only one need be in memory). */
  readonly data: () => Dataset | AsyncIterable<Dataset> | undefined;
  /** Whether validation rows were given at all (the default early-stopping monitor depends on it). */
  readonly given: boolean;
}

/** Trains one epoch, adding to `totals`; returns the rows it trained on. */
export type EpochBody = (epoch: number, totals: EpochTotals) => Promise<number>;

/** The options the epoch loop reads. */
export type EpochLoopOptions = Pick<FitOptions, 'epochs' | 'earlyStopping' | 'onEpochEnd' | 'lossScale'>;

/**
 * The epochs of `fit` and `fitChunks`: `body` trains one epoch; this undoes a diverged epoch,
 * records history and validation, checks early stopping (restoring the best weights when asked)
 * and calls `onEpochEnd`. Returns whether the early-stopping rule ended the run.
 */
export async function runEpochs(
  host: EpochLoopHost,
  options: EpochLoopOptions,
  validation: ValidationSource,
  body: EpochBody,
): Promise<boolean> {
  const { run } = host;
  const monitor = options.earlyStopping?.monitor ?? (validation.given ? 'val_loss' : 'loss');
  let best = run.params;
  let stoppedEarly = false;
  while (run.epoch < options.epochs) {
    const record = await trainEpoch(host, { validation, lossScale: options.lossScale ?? 1 }, body);
    const status = options.earlyStopping ? stoppingStatus(run.history, options.earlyStopping, monitor) : undefined;
    if (status?.improved) best = run.params;
    if (options.onEpochEnd) await options.onEpochEnd(record, await host.state());
    if (status?.stop) {
      stoppedEarly = true;
      break;
    }
  }
  if (options.earlyStopping?.restoreBestWeights) run.params = best;
  return stoppedEarly;
}

/** The mean loss (and accuracy) of validation rows given whole or in chunks (row-weighted over the chunks). */
async function scoreValidation(host: EpochLoopHost, data: Dataset | AsyncIterable<Dataset> | undefined): Promise<Evaluation | undefined> {
  if (data === undefined) return undefined;
  if ('features' in data) return host.evaluate(data);
  let rows = 0;
  let loss = 0;
  let correct = 0;
  let accuracy = false;
  for await (const chunk of data) {
    if (chunk.rows === 0) continue;
    const e = await host.evaluate(chunk);
    rows += chunk.rows;
    loss += e.loss * chunk.rows;
    if (e.accuracy !== undefined) {
      accuracy = true;
      correct += e.accuracy * chunk.rows;
    }
  }
  if (rows === 0) return undefined;
  return { loss: loss / rows, ...(accuracy ? { accuracy: correct / rows } : {}) };
}

/** One epoch through `body`, undone whole if it diverges; returns its record (losses × lossScale), added to the history. */
async function trainEpoch(
  host: EpochLoopHost,
  o: { validation: ValidationSource; lossScale: number },
  body: EpochBody,
): Promise<EpochRecord> {
  const { validation, lossScale } = o;
  const { run } = host;
  const started = performance.now();
  const epoch = run.epoch + 1;
  // Taken before the shuffle draws from the generator: a diverged epoch is undone to here.
  const start = run.epochStart();
  const totals: EpochTotals = { lossSum: 0, correct: 0, rate: 0 };
  let rows: number;
  try {
    rows = await body(epoch, totals);
  } catch (e) {
    // A diverged epoch is undone whole: the trainer holds the last completed epoch's state,
    // which is also what the last checkpoint holds (an overflowing update can precede the
    // first non-finite loss by a step, so the step before the bad loss is not safe either).
    if (e instanceof TrainingDivergedError) run.restore(start);
    throw e;
  }
  run.epoch = epoch;
  const scored = await scoreValidation(host, validation.data());
  const record: EpochRecord = {
    epoch,
    loss: (totals.lossSum / rows) * lossScale,
    ...(host.spec.task !== 'regression' ? { accuracy: totals.correct / rows } : {}),
    ...(scored ? { valLoss: scored.loss * lossScale, ...(scored.accuracy !== undefined ? { valAccuracy: scored.accuracy } : {}) } : {}),
    learningRate: totals.rate,
    seconds: (performance.now() - started) / 1000,
  };
  run.history.push(record);
  return record;
}
