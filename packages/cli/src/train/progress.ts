import type { BatchEvent, EpochRecord } from '@onnx-mlp/core';
import type { PrivacyFacts } from '@onnx-mlp/core/privacy';
import type { Accuracy } from '../evaluate/model-accuracy.js';
import type { StoppingOutcome } from './controls.js';
import { formatFairness } from '../fairness/format-fairness.js';
import type { FairnessReport } from '../fairness/fairness-report.js';
import { epochLine } from './epoch-line.js';

/** A regression model's score on the test split. */
export interface RegressionScore {
  readonly rows: number;
  readonly mse: number;
  readonly mae: number;
  readonly r2: number;
  /** The model's prediction for every row (row-major), for per-group metrics. */
  readonly predictions?: Float32Array;
}

/** The written model.onnx scored on the test split: accuracy (classifiers) or errors (regression). */
export type TestScore = Accuracy | RegressionScore;

/** Whether a test score is a classifier's accuracy. */
export function isAccuracy(score: TestScore): score is Accuracy {
  return 'accuracy' in score;
}

/** What a run is about to do, once its run folder exists. */
export interface RunStart {
  readonly runFolder: string;
  /** The resolved configuration (what config.json records), with the data description. */
  readonly config: Readonly<Record<string, unknown>> & { readonly epochs: number };
  /** Set when continuing a run: the epochs its checkpoint had completed. */
  readonly resumedAfterEpoch: number | null;
  /** The device training runs on (what `--device auto` chose). */
  readonly device: string;
  /** Mini-batches per epoch, the last one possibly partial. */
  readonly batchesPerEpoch: number;
  readonly trainRows: number;
  readonly testRows: number;
  /** Rows of the validation split, when there is one besides the test split. */
  readonly valRows?: number;
  /** A line describing the data (tabular runs), printed before training unless --quiet. */
  readonly summary?: string;
}

/** How a run ended. */
export interface RunEnd {
  readonly runFolder: string;
  readonly test: TestScore;
  readonly epochs: number;
  readonly out: string | null;
  /** What the end line counts test rows as. @defaultValue 'digits' */
  readonly rowsWord?: string;
  /** With --early-stopping: where it stopped and which epoch's weights the model has. */
  readonly stopping?: StoppingOutcome | null;
  /** --sensitive: the per-group metrics of the test split. */
  readonly fairness?: FairnessReport;
  /** With --dp: the guarantee model.onnx records (core's privacyFacts). */
  readonly privacy?: PrivacyEnd;
}

/** What the end of a --dp run reports: the ε spent at δ and what it depends on. */
export type PrivacyEnd = Pick<PrivacyFacts, 'epsilon' | 'delta' | 'clipNorm' | 'noiseMultiplier' | 'samplingRate' | 'steps'>;

/** `privacy: (ε = 2.28, δ = 0.000125) ...`: the guarantee of a --dp run. */
export function privacyLine(p: PrivacyEnd): string {
  return (
    `privacy: (ε = ${p.epsilon.toPrecision(4)}, δ = ${p.delta.toPrecision(3)})-DP for the training rows; ` +
    `C = ${p.clipNorm}, σ = ${p.noiseMultiplier}, q = ${p.samplingRate.toPrecision(3)}, ${p.steps} steps, RDP accountant`
  );
}

/** `early stopping: ...`: why training ended where it did, and which weights model.onnx holds. */
export function stoppingLine(s: StoppingOutcome, epochs: number): string {
  const best = `model.onnx has the weights of epoch ${s.bestEpoch}, the best val_loss (${s.bestValLoss.toFixed(4)})`;
  return s.stopped
    ? `early stopping: stopped after epoch ${s.epochsTrained} of ${epochs}, val_loss did not improve for ${s.epochsTrained - s.bestEpoch} epochs; ${best}`
    : `early stopping: did not trigger in ${s.epochsTrained} epochs; ${best}`;
}

/**
 * The line that reports the test split: `test accuracy: 94.30% (2000 digits)`, or for regression
 * `test mse: 0.2029  mae: 0.2648  r2: 0.9580 (120 rows)` (MSE and MAE to 4 significant digits).
 */
export function testLine(test: TestScore, rowsWord = 'digits'): string {
  if (isAccuracy(test)) return `test accuracy: ${(test.accuracy * 100).toFixed(2)}% (${test.rows} ${rowsWord})`;
  return `test mse: ${test.mse.toPrecision(4)}  mae: ${test.mae.toPrecision(4)}  r2: ${test.r2.toFixed(4)} (${test.rows} ${rowsWord})`;
}

/**
 * Where `runTraining` reports what happens, in order: notices, start, then for every epoch its
 * batches and the epoch record, then the end. `close` is always called last, also on failure, so
 * a live display can clear itself before an error is printed.
 */
export interface TrainProgress {
  /** Something the user should know that is not an error (a device fallback). */
  notice(message: string): void;
  start(run: RunStart): void;
  /** Training of epoch `epoch` is about to begin (the first of this invocation). */
  training(firstEpoch: number): void;
  batch(event: BatchEvent): void;
  /** `epsilon`: with --dp, the privacy spent after this epoch. */
  epoch(record: EpochRecord & { readonly epsilon?: number }): void;
  end(result: RunEnd): void;
  close(): void;
}

/** Writes one line (the caller adds nothing; the reporter passes full lines without the newline). */
export type LineWriter = (line: string) => void;

/**
 * The plain lines `onnx-mlp train` has always printed (and tests parse): notices, `resuming ...`,
 * one line per epoch unless --quiet, then the test accuracy and the run folder.
 */
export class PlainProgress implements TrainProgress {
  private totalEpochs = 0;

  constructor(
    private readonly write: LineWriter,
    private readonly quiet: boolean,
  ) {}

  notice(message: string): void {
    this.write(`notice: ${message}`);
  }

  start(run: RunStart): void {
    this.totalEpochs = run.config.epochs;
    if (run.resumedAfterEpoch !== null)
      this.write(`resuming ${run.runFolder} after epoch ${run.resumedAfterEpoch} of ${run.config.epochs}`);
    if (run.summary !== undefined && !this.quiet) this.write(run.summary);
  }

  training(): void {}

  batch(): void {}

  epoch(record: EpochRecord): void {
    if (!this.quiet) this.write(epochLine(record, this.totalEpochs));
  }

  end(result: RunEnd): void {
    if (result.stopping) this.write(stoppingLine(result.stopping, result.epochs));
    if (result.privacy) this.write(privacyLine(result.privacy));
    this.write(testLine(result.test, result.rowsWord));
    if (result.fairness) {
      if (!this.quiet) for (const line of formatFairness(result.fairness)) this.write(line);
      for (const w of result.fairness.warnings) this.write(`warning: ${w}`);
    }
    this.write(`run folder: ${result.runFolder}`);
  }

  close(): void {}
}

/**
 * `--json`: one JSON object a line on stdout and nothing else there:
 * `{"event":"start",...}`, `{"event":"epoch",...}` per epoch (not with --quiet), `{"event":"end",...}`.
 * Notices go to stderr (`notice` is also in the start event).
 */
export class JsonProgress implements TrainProgress {
  private notices: string[] = [];

  constructor(
    private readonly write: LineWriter,
    private readonly quiet: boolean,
    private readonly warn: LineWriter,
  ) {}

  private emit(event: string, fields: Record<string, unknown>): void {
    this.write(JSON.stringify({ event, ...fields }));
  }

  notice(message: string): void {
    this.notices.push(message);
    this.warn(`notice: ${message}`);
  }

  start(run: RunStart): void {
    this.emit('start', {
      ...run.config,
      runFolder: run.runFolder,
      resumedAfterEpoch: run.resumedAfterEpoch,
      deviceUsed: run.device,
      batchesPerEpoch: run.batchesPerEpoch,
      trainRows: run.trainRows,
      ...(run.valRows !== undefined ? { valRows: run.valRows } : {}),
      testRows: run.testRows,
      notices: this.notices,
    });
  }

  training(): void {}

  batch(): void {}

  epoch(record: EpochRecord): void {
    if (!this.quiet) this.emit('epoch', { ...record });
  }

  end(result: RunEnd): void {
    const t = result.test;
    const score = isAccuracy(t)
      ? { testAccuracy: t.accuracy, testCorrect: t.correct, testRows: t.rows }
      : { testMse: t.mse, testMae: t.mae, testR2: t.r2, testRows: t.rows };
    const stopping = result.stopping
      ? {
          epochsTrained: result.stopping.epochsTrained,
          stoppedEarly: result.stopping.stopped,
          bestEpoch: result.stopping.bestEpoch,
          bestValLoss: result.stopping.bestValLoss,
        }
      : {};
    this.emit('end', {
      ...score,
      ...stopping,
      ...(result.privacy ? { privacy: result.privacy } : {}),
      epochs: result.epochs,
      runFolder: result.runFolder,
      out: result.out,
      ...(result.fairness ? { fairness: result.fairness } : {}),
    });
    for (const w of result.fairness?.warnings ?? []) this.warn(`warning: ${w}`);
  }

  close(): void {}
}
