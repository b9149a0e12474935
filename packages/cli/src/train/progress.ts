import type { BatchEvent, EpochRecord } from '@onnx-mlp/core';
import type { Accuracy } from '../evaluate/model-accuracy.js';
import { epochLine } from './epoch-line.js';

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
}

/** How a run ended. */
export interface RunEnd {
  readonly runFolder: string;
  readonly test: Accuracy;
  readonly epochs: number;
  readonly out: string | null;
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
  epoch(record: EpochRecord): void;
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

  constructor(private readonly write: LineWriter, private readonly quiet: boolean) {}

  notice(message: string): void {
    this.write(`notice: ${message}`);
  }

  start(run: RunStart): void {
    this.totalEpochs = run.config.epochs;
    if (run.resumedAfterEpoch !== null) this.write(`resuming ${run.runFolder} after epoch ${run.resumedAfterEpoch} of ${run.config.epochs}`);
  }

  training(): void {}

  batch(): void {}

  epoch(record: EpochRecord): void {
    if (!this.quiet) this.write(epochLine(record, this.totalEpochs));
  }

  end(result: RunEnd): void {
    this.write(`test accuracy: ${(result.test.accuracy * 100).toFixed(2)}% (${result.test.rows} digits)`);
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

  constructor(private readonly write: LineWriter, private readonly quiet: boolean, private readonly warn: LineWriter) {}

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
    this.emit('end', {
      testAccuracy: result.test.accuracy,
      testCorrect: result.test.correct,
      testRows: result.test.rows,
      epochs: result.epochs,
      runFolder: result.runFolder,
      out: result.out,
    });
  }

  close(): void {}
}
