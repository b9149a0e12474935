import { encodeRecord, type Dataset, type Preprocessing } from '@onnx-mlp/core';
import { scaleTargets, type TargetScaling } from '@onnx-mlp/core/preprocess';
import { Rng } from '@onnx-mlp/core/model';
import type { Cell, SourceRow } from '@onnx-mlp/core/data';
import { formatLocation } from '@onnx-mlp/core/internal';
import type { PreprocessGraph } from './preprocess-graph.js';
import { dataFileBatches } from './readers/index.js';

/** Which part of the data a row belongs to. */
export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

/** The split of every row, decided row by row in file order by a seeded generator: the same every pass. */
export function splitter(seed: number, validation: number, test: number): () => number {
  const rng = new Rng((seed ^ 0x5eed5eed) >>> 0);
  return () => {
    const u = rng.uniform();
    return u < test ? TEST : u < test + validation ? VALIDATION : TRAIN;
  };
}

/** A float32 buffer that grows by doubling. */
class Floats {
  private data = new Float32Array(1024);
  length = 0;
  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) {
      const bigger = new Float32Array(Math.max(this.data.length * 2, this.length + values.length));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  values(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** A shuffle buffer: up to `capacity` train rows as raw input and targets, allocated once a buffer. */
class RowBuffer {
  readonly raw: Float32Array;
  readonly y: Float32Array;
  rows = 0;
  constructor(
    readonly capacity: number,
    readonly cols: number,
    readonly width: number,
  ) {
    this.raw = new Float32Array(capacity * cols);
    this.y = new Float32Array(capacity * width);
  }
  push(raw: Float32Array, y: readonly number[]): void {
    this.raw.set(raw, this.rows * this.cols);
    this.y.set(y, this.rows * this.width);
    this.rows++;
  }
  get full(): boolean {
    return this.rows === this.capacity;
  }
}

/** What the passes over a streamed file need: the file, its split, and how a row becomes raw input and targets. */
export interface PassPlan {
  readonly file: string;
  readonly seed: number;
  readonly validationFraction: number;
  readonly testFraction: number;
  readonly shuffleBuffer: number;
  readonly preprocessing: Preprocessing;
  readonly graph: PreprocessGraph;
  /** Positions of the feature columns in a row, in input order. */
  readonly featureIndex: readonly number[];
  /** Targets a row. */
  readonly width: number;
  /** A row's targets. */
  target(row: SourceRow): number[];
  /** Regression: the standardisation of the targets the training graphs see (train and validation rows; test rows keep the label's units). */
  readonly targetScaling: TargetScaling | null;
  /** Rows every pass leaves out (a missing label, with --drop-missing-label), before the split draws; null: none. */
  readonly skip: ((row: SourceRow) => boolean) | null;
  /** How encodeRecord reads a non-finite number. */
  readonly nonfinite: 'error' | 'missing';
}

/** The held-out rows a complete pass collected, as raw model input (validation targets as the training graphs take them). */
export interface HeldOut {
  readonly validation: Dataset | null;
  readonly test: Dataset;
}

/**
 * The passes over a streamed file: each epoch's train rows through a seeded shuffle buffer and the
 * preprocessing graph; the validation and test rows collected, as raw input, by the first complete pass.
 */
export class StreamPasses {
  held: HeldOut | null = null;

  constructor(private readonly plan: PassPlan) {}

  /** A train row's targets as the training graphs take them (standardised for a regression). */
  private trainTarget(row: SourceRow): number[] {
    const y = this.plan.target(row);
    const ts = this.plan.targetScaling;
    return ts ? y.map((v, k) => (v - ts.center[k]!) / ts.scale[k]!) : y;
  }

  private encode(row: SourceRow): Float32Array {
    const p = this.plan;
    const record: Record<string, Cell> = Object.create(null) as Record<string, Cell>;
    p.preprocessing.columns.forEach((c, k) => {
      record[c.name] = row.cells[p.featureIndex[k]!] ?? null;
    });
    return encodeRecord(p.preprocessing, record, formatLocation({ file: p.file, line: row.line }), { nonfinite: p.nonfinite });
  }

  /** One buffer of train rows, shuffled (seeded by the epoch, independent of the trainer's generator, so a resumed run repeats it), as features. */
  private async chunk(buffer: RowBuffer, rng: Rng): Promise<Dataset> {
    const { raw, y, rows, cols, width } = buffer;
    const shuffled = new Float32Array(rows * cols);
    const targets = new Float32Array(rows * width);
    rng.permutation(rows).forEach((r, i) => {
      shuffled.set(raw.subarray(r * cols, (r + 1) * cols), i * cols);
      targets.set(y.subarray(r * width, (r + 1) * width), i * width);
    });
    return { features: await this.plan.graph.run(shuffled), rows, cols: this.plan.graph.width, targets };
  }

  /** One pass: yields the train rows a shuffle buffer at a time (none unless `train`), collecting the held-out rows the first time. */
  async *pass(epoch: number, train: boolean): AsyncGenerator<Dataset, void, undefined> {
    const p = this.plan;
    const collect = this.held === null;
    const part = splitter(p.seed, p.validationFraction, p.testFraction);
    const rng = new Rng(((p.seed ^ 0x9e3779b9) + epoch) >>> 0);
    const keep = [null, { raw: new Floats(), y: new Floats() }, { raw: new Floats(), y: new Floats() }] as const;
    const cols = p.preprocessing.columns.length;
    let buffer = new RowBuffer(p.shuffleBuffer, cols, p.width);
    for await (const batch of dataFileBatches(p.file)) {
      for (const row of batch.rows) {
        if (p.skip?.(row)) continue;
        const k = part();
        if (k === TRAIN) {
          if (!train) continue;
          buffer.push(this.encode(row), this.trainTarget(row));
          if (buffer.full) {
            yield await this.chunk(buffer, rng);
            buffer = new RowBuffer(p.shuffleBuffer, cols, p.width);
          }
        } else if (collect) {
          keep[k]!.raw.push(this.encode(row));
          keep[k]!.y.push(p.target(row));
        }
      }
    }
    if (buffer.rows > 0) yield await this.chunk(buffer, rng);
    if (collect) this.held = await this.heldOut(keep[VALIDATION], keep[TEST]);
  }

  private async heldOut(validation: { raw: Floats; y: Floats }, test: { raw: Floats; y: Floats }): Promise<HeldOut> {
    const cols = this.plan.preprocessing.columns.length;
    const dataset = (k: { raw: Floats; y: Floats }): Dataset => ({
      features: k.raw.values(),
      rows: k.y.length / this.plan.width,
      cols,
      targets: k.y.values(),
    });
    const v = dataset(validation);
    const ts = this.plan.targetScaling;
    return {
      validation: v.rows > 0 ? { ...v, targets: ts ? scaleTargets(v.targets, ts) : v.targets } : null,
      test: dataset(test),
    };
  }

  /**
   * The validation rows as the MLP's features, a shuffle buffer's worth at a time: the one-hot
   * features of every validation row at once would be rows x feature width floats.
   */
  async *validationChunks(): AsyncGenerator<Dataset, void, undefined> {
    const v = this.held?.validation;
    if (!v) return;
    const { cols } = v;
    const step = this.plan.shuffleBuffer;
    const width = this.plan.width;
    for (let start = 0; start < v.rows; start += step) {
      const n = Math.min(step, v.rows - start);
      const features = await this.plan.graph.run(v.features.subarray(start * cols, (start + n) * cols));
      yield { features, rows: n, cols: this.plan.graph.width, targets: v.targets.subarray(start * width, (start + n) * width) };
    }
  }
}
