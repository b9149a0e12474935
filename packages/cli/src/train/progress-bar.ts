import cliProgress from 'cli-progress';
import type { BatchEvent, EpochRecord } from '@onnx-mlp/core';
import { PlainProgress, type RunEnd, type RunStart, type TrainProgress } from './progress.js';

/** Seconds as `0.4s`, `12s`, `3m05s`. */
function seconds(t: number): string {
  if (t < 9.95) return `${t.toFixed(1)}s`;
  const whole = Math.round(t);
  if (whole < 60) return `${whole}s`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/** What the bar shows besides its fill, updated with every batch. */
interface BarPayload {
  readonly epochLabel: string;
  readonly loss: number | null;
  /** The previous epoch's duration: the ETA before any batch of this epoch has reported. */
  readonly previousSeconds: number | null;
}

/**
 * One frame, e.g. `epoch  2/10 ████████░░░░ 31/63  loss 0.2312  0.8s  ETA 0.9s`. The ETA is the
 * time per finished batch times the batches left; before the first batch reports it is the
 * previous epoch's duration minus the time spent so far (on CPU, where a whole epoch runs in one
 * ONNX Loop, batches all report when the Loop returns).
 */
export function barFrame(options: cliProgress.Options, params: cliProgress.Params, payload: BarPayload, now = Date.now()): string {
  const elapsed = Math.max(0, ((params.stopTime ?? now) - params.startTime) / 1000);
  let eta = '?';
  if (params.value > 0) eta = seconds((elapsed / params.value) * (params.total - params.value));
  else if (payload.previousSeconds !== null) eta = seconds(Math.max(0, payload.previousSeconds - elapsed));
  const width = String(params.total).length;
  const loss = payload.loss === null ? '-' : payload.loss.toFixed(4);
  const frame =
    `${payload.epochLabel} ${cliProgress.Format.BarFormat(params.progress, options)} ` +
    `${String(params.value).padStart(width)}/${params.total}  loss ${loss}  ${seconds(elapsed)}  ETA ${eta}`;
  // One column short of the width, so the terminal never wraps the line (every character is one column).
  return frame.slice(0, Math.max(1, params.maxWidth - 1));
}

/**
 * The live display when stdout is a terminal: a cli-progress bar for the epoch in flight (batch
 * count, running mean of the batch losses, elapsed time, ETA), replaced by the usual epoch line
 * when the epoch ends. Every other line is PlainProgress's, written on the same stream.
 */
export class BarProgress implements TrainProgress {
  private readonly lines: PlainProgress;
  private readonly bar: cliProgress.SingleBar;
  private totalEpochs = 0;
  private batches = 0;
  private current = 0;
  private lossSum = 0;
  private lossCount = 0;
  private previousSeconds: number | null = null;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.lines = new PlainProgress((line) => this.writeLine(line), false);
    this.bar = new cliProgress.SingleBar({
      stream,
      format: barFrame as cliProgress.GenericFormatter,
      barsize: 25,
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      clearOnComplete: true,
      // Leave the terminal's modes alone: no hidden cursor and no disabled line wrapping, which
      // would stay that way if the process were killed (Ctrl-C) with the bar on screen.
      hideCursor: false,
      linewrap: true,
      fps: 10,
    });
  }

  /** A whole line: the bar (if showing) is cleared first and redrawn by its next update. */
  private writeLine(line: string): void {
    this.stopBar();
    this.stream.write(`${line}\n`);
  }

  private stopBar(): void {
    if (this.bar.isActive) this.bar.stop();
  }

  private payload(): BarPayload {
    const width = String(this.totalEpochs).length;
    return {
      epochLabel: `epoch ${String(this.current).padStart(width)}/${this.totalEpochs}`,
      loss: this.lossCount > 0 ? this.lossSum / this.lossCount : null,
      previousSeconds: this.previousSeconds,
    };
  }

  private beginEpoch(epoch: number): void {
    this.stopBar();
    this.current = epoch;
    this.lossSum = 0;
    this.lossCount = 0;
    this.bar.start(this.batches, 0, this.payload());
  }

  notice(message: string): void {
    this.lines.notice(message);
  }

  start(run: RunStart): void {
    this.totalEpochs = run.config.epochs;
    this.batches = run.batchesPerEpoch;
    this.lines.start(run);
  }

  training(firstEpoch: number): void {
    this.beginEpoch(firstEpoch);
  }

  batch(event: BatchEvent): void {
    if (event.epoch !== this.current || !this.bar.isActive) this.beginEpoch(event.epoch);
    this.lossSum += event.loss;
    this.lossCount += 1;
    if (event.batches !== this.batches) {
      this.batches = event.batches;
      this.bar.setTotal(event.batches);
    }
    this.bar.update(event.batch, this.payload());
  }

  epoch(record: EpochRecord): void {
    this.previousSeconds = record.seconds;
    this.lines.epoch(record);
    if (record.epoch < this.totalEpochs) this.beginEpoch(record.epoch + 1);
  }

  end(result: RunEnd): void {
    this.lines.end(result);
  }

  close(): void {
    this.stopBar();
  }
}
