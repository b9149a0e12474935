import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { DataType, ORT_TYPE } from '../ir/dtype.js';
import type { TensorData } from '../ir/graph.js';
import { encodeModel } from '../ir/encode.js';
import { IO, TrainingArtifacts } from '../artifacts/train-step.js';
import type { EpochRecord } from '../artifacts/checkpoint.js';
import { countCorrectBinary, countCorrectMulticlass } from '../metrics/classification.js';
import { TensorMap, initParameters, zeroSlots } from '../model/parameters.js';
import { Rng, RngState } from '../model/rng.js';
import { Dataset, checkDataset, selectRows, targetWidth } from './dataset.js';
import type { OrtRuntime } from './runtime.js';
import { LearningRateSchedule, constantRate } from './schedule.js';
import { InvalidArgumentError } from '../errors.js';
import { EarlyStopping, stoppingStatus } from './early-stopping.js';

/** Where a run stands: enough to continue it (and what a checkpoint stores). */
export interface TrainingState {
  readonly parameters: TensorMap;
  readonly optimizerState: TensorMap;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer updates applied. */
  readonly step: number;
  /** The shuffling generator, positioned after `epoch` epochs. */
  readonly rng: RngState;
  readonly history: readonly EpochRecord[];
}

/** Progress after one mini-batch. */
export interface BatchEvent {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

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
  readonly earlyStopping?: EarlyStopping;
  readonly onBatchEnd?: (event: BatchEvent) => void;
  /** Called after each epoch with its record and the state to checkpoint. */
  readonly onEpochEnd?: (record: EpochRecord, state: TrainingState) => void | Promise<void>;
}

/** Thrown when the loss becomes NaN or infinite; the trainer keeps the last good parameters. */
export class TrainingDivergedError extends Error {
  constructor(readonly epoch: number, readonly step: number, readonly loss: number) {
    super(`loss became ${loss} at epoch ${epoch}, step ${step}: lower the learning rate or check the data for extreme values`);
    this.name = 'TrainingDivergedError';
  }
}

/** A fresh run's state: seeded initial weights, zero optimizer state. */
export function initialState(artifacts: TrainingArtifacts, seed: number): TrainingState {
  const rng = new Rng(seed);
  const parameters = initParameters(artifacts.spec, rng);
  const slots = [...new Set(artifacts.stateNames.map((n) => n.slice(n.lastIndexOf('.') + 1)))];
  return { parameters, optimizerState: zeroSlots(parameters, slots), epoch: 0, step: 0, rng: rng.state(), history: [] };
}

/**
 * Runs an MLP's training artifacts on any ONNX Runtime: one train-step `run()` per mini-batch,
 * parameters and optimizer state kept as runtime tensors between steps.
 */
export class Trainer {
  private tensors = new Map<string, Tensor>();
  private epoch: number;
  private step: number;
  private rng: Rng;
  private history: EpochRecord[];
  /** True when the last `fit` ended on its early-stopping rule. */
  stoppedEarly = false;

  private constructor(
    private readonly ort: OrtRuntime,
    readonly artifacts: TrainingArtifacts,
    private readonly trainSession: InferenceSession,
    private readonly evalSession: InferenceSession,
    state: TrainingState,
  ) {
    for (const [name, t] of [...state.parameters, ...state.optimizerState]) this.tensors.set(name, this.toTensor(t));
    this.epoch = state.epoch;
    this.step = state.step;
    this.rng = new Rng(state.rng);
    this.history = [...state.history];
  }

  /** Creates the train and eval sessions on `ort` and loads `state` into them. */
  static async create(
    ort: OrtRuntime, artifacts: TrainingArtifacts, state: TrainingState, sessionOptions: InferenceSession.SessionOptions = {},
  ): Promise<Trainer> {
    const train = await ort.InferenceSession.create(encodeModel(artifacts.trainingModel), sessionOptions);
    const evaluate = await ort.InferenceSession.create(encodeModel(artifacts.evalModel), sessionOptions);
    return new Trainer(ort, artifacts, train, evaluate, state);
  }

  /** Trains until `options.epochs` epochs are complete and returns the whole history. */
  async fit(data: Dataset, options: FitOptions): Promise<readonly EpochRecord[]> {
    const { spec, optimizer } = this.artifacts;
    const [train, validation] = holdOut(data, options, targetWidth(spec));
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new InvalidArgumentError('batchSize', batchSize, 'must be a positive integer');
    if (!Number.isInteger(options.epochs) || options.epochs <= 0) throw new InvalidArgumentError('epochs', options.epochs, 'must be a positive integer');
    checkDataset(spec, train, 'training data');
    if (validation) checkDataset(spec, validation, 'validation data');
    const monitor = options.earlyStopping?.monitor ?? (validation ? 'val_loss' : 'loss');
    let best = new Map(this.tensors);
    this.stoppedEarly = false;
    const schedule = options.learningRate ?? constantRate(optimizer.learningRate);
    const width = targetWidth(spec);
    const batches = Math.ceil(train.rows / batchSize);

    while (this.epoch < options.epochs) {
      const started = performance.now();
      const epoch = this.epoch + 1;
      const order = options.shuffle === false ? identity(train.rows) : this.rng.permutation(train.rows);
      let lossSum = 0;
      let correct = 0;
      let rate = 0;
      for (let k = 0; k < batches; k++) {
        const rows = order.subarray(k * batchSize, Math.min(train.rows, (k + 1) * batchSize));
        rate = schedule(this.step + 1);
        const out = await this.trainSession.run({
          ...this.batchFeeds(train, rows, width, true),
          [IO.learningRate]: new this.ort.Tensor('float32', Float32Array.of(rate), []),
          [IO.step]: new this.ort.Tensor('float32', Float32Array.of(this.step + 1), []),
          ...Object.fromEntries(this.tensors),
        });
        const loss = (out[IO.loss]!.data as Float32Array)[0]!;
        if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, this.step + 1, loss);
        for (const name of this.tensors.keys()) this.tensors.set(name, out[IO.updated(name)]!);
        this.step++;
        lossSum += loss * rows.length;
        correct += this.countCorrect(out[IO.logits]!.data as Float32Array, train, rows);
        options.onBatchEnd?.({ epoch, batch: k + 1, batches, loss });
      }
      this.epoch = epoch;
      const record: EpochRecord = {
        epoch,
        loss: lossSum / train.rows,
        ...(spec.task !== 'regression' ? { accuracy: correct / train.rows } : {}),
        ...(validation ? await this.validationRecord(validation) : {}),
        learningRate: rate,
        seconds: (performance.now() - started) / 1000,
      };
      this.history.push(record);
      const rule = options.earlyStopping;
      const status = rule ? stoppingStatus(this.history, rule, monitor) : undefined;
      // Runtime tensors are never mutated (each step returns new ones), so keeping references is a snapshot.
      if (status?.improved) best = new Map(this.tensors);
      await options.onEpochEnd?.(record, this.state());
      if (status?.stop) {
        this.stoppedEarly = true;
        break;
      }
    }
    if (options.earlyStopping?.restoreBestWeights) {
      for (const name of this.artifacts.parameterNames) this.tensors.set(name, best.get(name)!);
    }
    return [...this.history];
  }

  /** Mean loss (and accuracy for classifiers) of `data` under the current parameters, dropout off. */
  async evaluate(data: Dataset, batchSize = 1024): Promise<{ loss: number; accuracy?: number }> {
    checkDataset(this.artifacts.spec, data, 'evaluation data');
    const width = targetWidth(this.artifacts.spec);
    const params = Object.fromEntries(this.artifacts.parameterNames.map((n) => [n, this.tensors.get(n)!]));
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.rows; start += batchSize) {
      const rows = identity(Math.min(batchSize, data.rows - start), start);
      const out = await this.evalSession.run({ ...this.batchFeeds(data, rows, width), ...params });
      lossSum += (out[IO.loss]!.data as Float32Array)[0]! * rows.length;
      correct += this.countCorrect(out[IO.logits]!.data as Float32Array, data, rows);
    }
    return {
      loss: lossSum / data.rows,
      ...(this.artifacts.spec.task !== 'regression' ? { accuracy: correct / data.rows } : {}),
    };
  }

  /** A copy of the current parameters, optimizer state, counters and history. */
  state(): TrainingState {
    const read = (names: readonly string[]) => new Map(names.map((n) => [n, this.toTensorData(this.tensors.get(n)!)]));
    return {
      parameters: read(this.artifacts.parameterNames),
      optimizerState: read(this.artifacts.stateNames),
      epoch: this.epoch,
      step: this.step,
      rng: this.rng.state(),
      history: [...this.history],
    };
  }

  /** Releases both sessions. */
  async release(): Promise<void> {
    await this.trainSession.release();
    await this.evalSession.release();
  }

  private async validationRecord(data: Dataset): Promise<Partial<EpochRecord>> {
    const r = await this.evaluate(data);
    return { valLoss: r.loss, ...(r.accuracy !== undefined ? { valAccuracy: r.accuracy } : {}) };
  }

  private batchFeeds(data: Dataset, rows: Int32Array, width: number, training = false): Record<string, Tensor> {
    const n = rows.length;
    const features = new Float32Array(n * data.cols);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      features.set(data.features.subarray(r * data.cols, (r + 1) * data.cols), i * data.cols);
    }
    let target: Tensor;
    if (this.artifacts.spec.task === 'multiclass') {
      const labels = new BigInt64Array(n);
      for (let i = 0; i < n; i++) labels[i] = BigInt(data.targets[rows[i]!]!);
      target = new this.ort.Tensor('int64', labels, [n]);
    } else {
      const values = new Float32Array(n * width);
      for (let i = 0; i < n; i++) values.set(data.targets.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
      target = new this.ort.Tensor('float32', values, [n, width]);
    }
    const feeds: Record<string, Tensor> = { [IO.input]: new this.ort.Tensor('float32', features, [n, data.cols]), [IO.target]: target };
    for (const { name, width } of training ? this.artifacts.noiseInputs : []) {
      const noise = new Float32Array(n * width);
      for (let i = 0; i < noise.length; i++) noise[i] = this.rng.uniform();
      feeds[name] = new this.ort.Tensor('float32', noise, [n, width]);
    }
    return feeds;
  }

  private countCorrect(logits: Float32Array, data: Dataset, rows: Int32Array): number {
    const { spec } = this.artifacts;
    if (spec.task === 'regression') return 0;
    const targets = Float32Array.from(rows, (r) => data.targets[r]!);
    return spec.task === 'multiclass' ? countCorrectMulticlass(logits, targets, spec.outputs) : countCorrectBinary(logits, targets);
  }

  private toTensor(t: TensorData): Tensor {
    return new this.ort.Tensor(ORT_TYPE[t.dtype] as 'float32', t.data as Float32Array, [...t.dims]);
  }

  private toTensorData(t: Tensor): TensorData {
    return { dtype: DataType.FLOAT, dims: [...t.dims], data: Float32Array.from(t.data as Float32Array) };
  }
}

/** Splits off Keras-style validation rows when `validationSplit` is set. */
function holdOut(data: Dataset, options: FitOptions, width: number): [Dataset, Dataset | undefined] {
  const fraction = options.validationSplit;
  if (fraction === undefined) return [data, options.validationData];
  if (!(fraction > 0 && fraction < 1)) throw new InvalidArgumentError('validationSplit', fraction, 'must be in (0, 1)');
  if (options.validationData) throw new InvalidArgumentError('validationSplit', fraction, 'cannot be combined with validationData');
  const cut = data.rows - Math.round(data.rows * fraction);
  if (cut <= 0 || cut >= data.rows) throw new InvalidArgumentError('validationSplit', fraction, `leaves no rows on one side of ${data.rows}`);
  return [selectRows(data, identity(cut), width), selectRows(data, identity(data.rows - cut, cut), width)];
}

function identity(n: number, start = 0): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = start + i;
  return a;
}
