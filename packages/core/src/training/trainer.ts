import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { encodeModel } from '../ir/encode.js';
import { GraphBuilder } from '../ir/builder.js';
import { DataType } from '../ir/dtype.js';
import type { Model } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { IO } from '../artifacts/io-names.js';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import type { EpochRecord } from '../artifacts/checkpoint.js';
import { InvalidArgumentError } from '../errors.js';
import { countCorrectBinary, countCorrectMulticlass } from '../metrics/classification.js';
import { packTensors, unpackTensors } from '../model/layout.js';
import { TensorMap, initParameters, zeroSlots } from '../model/parameters.js';
import { Rng, RngState } from '../model/rng.js';
import { drawNoise, gatherTargets, range, targetTensor } from './batches.js';
import { Dataset, checkDataset, selectRows, targetWidth } from './dataset.js';
import { EarlyStopping, stoppingStatus } from './early-stopping.js';
import type { OrtRuntime } from './runtime.js';
import { LearningRateSchedule, constantRate } from './schedule.js';

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
  /**
   * Run each epoch's full batches inside one ONNX Loop (one `run()` an epoch) rather than one
   * `run()` a batch. Same arithmetic, less overhead; turn off where Loop runs on a slow path.
   * @defaultValue true
   */
  readonly loop?: boolean;
  readonly onBatchEnd?: (event: BatchEvent) => void;
  /** Called after each epoch with its record and the state to checkpoint. */
  readonly onEpochEnd?: (record: EpochRecord, state: TrainingState) => void | Promise<void>;
}

/** Options of `Trainer.fitChunks`: those of `fit`, with validation rows that may arrive during the first epoch. */
export interface FitChunksOptions extends Omit<FitOptions, 'validationData' | 'validationSplit'> {
  /** Scored after every epoch when it returns rows (asked after each epoch's chunks). */
  readonly validationData?: () => Dataset | null | undefined;
  /** The batch count `onBatchEnd` events report, when the caller knows it. @defaultValue 0 */
  readonly batchesPerEpoch?: number;
}

/** Thrown when the loss becomes NaN or infinite; the trainer goes back to the last completed epoch. */
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
  return { parameters, optimizerState: zeroSlots(parameters, artifacts.slots), epoch: 0, step: 0, rng: rng.state(), history: [] };
}

/** How the trainer uses the runtime. */
export interface TrainerOptions {
  /** Passed to every session (execution providers, threads). @defaultValue {} */
  readonly sessionOptions?: InferenceSession.SessionOptions;
  /**
   * Keep parameters and optimizer state in device memory between steps (`gpu-buffer` outputs of
   * the WebGPU provider), reading them back only for checkpoints. @defaultValue false
   */
  readonly keepStateOnDevice?: boolean;
}

/** What one epoch's batches added up to. */
interface EpochTotals {
  lossSum: number;
  correct: number;
  rate: number;
}

/**
 * Runs an MLP's training artifacts on any ONNX Runtime. Parameters and optimizer state stay as
 * flat runtime tensors between runs; each epoch is one Loop `run()` plus one step for a partial
 * last batch (or one `run()` a batch with `loop: false`).
 */
export class Trainer {
  private params: Tensor;
  private slots: Map<string, Tensor>;
  private epoch: number;
  private step: number;
  private rng: Rng;
  private history: EpochRecord[];
  /** True when the last `fit` ended on its early-stopping rule. */
  stoppedEarly = false;

  private constructor(
    private readonly ort: OrtRuntime,
    readonly artifacts: TrainingArtifacts,
    private readonly sessions: Sessions,
    state: TrainingState,
  ) {
    const { layout } = artifacts;
    this.params = this.flat(packTensors(layout, state.parameters));
    this.slots = new Map(artifacts.slots.map((s) => [s, this.flat(packTensors(layout, state.optimizerState, `.${s}`))]));
    this.epoch = state.epoch;
    this.step = state.step;
    this.rng = new Rng(state.rng);
    this.history = [...state.history];
  }

  /** Creates the sessions on `ort` and loads `state` into them. */
  static async create(ort: OrtRuntime, artifacts: TrainingArtifacts, state: TrainingState, options: TrainerOptions = {}): Promise<Trainer> {
    const base = options.sessionOptions ?? {};
    const open = (m: TrainingArtifacts['evalModel'], extra: InferenceSession.SessionOptions = {}) =>
      ort.InferenceSession.create(encodeModel(m), { ...base, ...extra });
    // On a device, the updated state stays there; loss and logits come back to the host.
    const onDevice = options.keepStateOnDevice
      ? { preferredOutputLocation: Object.fromEntries([IO.parameters, ...artifacts.slots.map(IO.state)].map((n) => [IO.updated(n), 'gpu-buffer' as const])) }
      : {};
    const sessions: Sessions = {
      step: await open(artifacts.trainingModel, onDevice),
      epoch: options.keepStateOnDevice ? undefined : await open(artifacts.epochModel),
      eval: await open(artifacts.evalModel),
      readback: options.keepStateOnDevice ? await open(readbackModel()) : undefined,
    };
    return new Trainer(ort, artifacts, sessions, state);
  }

  /** Trains until `options.epochs` epochs are complete and returns the whole history. */
  async fit(data: Dataset, options: FitOptions): Promise<readonly EpochRecord[]> {
    const { spec } = this.artifacts;
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new InvalidArgumentError('batchSize', batchSize, 'must be a positive integer');
    if (!Number.isInteger(options.epochs) || options.epochs <= 0) throw new InvalidArgumentError('epochs', options.epochs, 'must be a positive integer');
    const [train, validation] = holdOut(data, options, targetWidth(spec));
    checkDataset(spec, train, 'training data');
    if (validation) checkDataset(spec, validation, 'validation data');
    const schedule = options.learningRate ?? constantRate(this.artifacts.optimizer.learningRate);
    const whole = options.loop === false || !this.sessions.epoch ? undefined : {
      features: new this.ort.Tensor('float32', train.features, [train.rows, train.cols]),
      targets: targetTensor(this.ort, spec, train.targets),
    };
    return this.runEpochs(options, () => validation, validation !== undefined, async (epoch, totals) => {
      const order = options.shuffle === false ? range(train.rows) : this.rng.permutation(train.rows);
      const batches = Math.ceil(train.rows / batchSize);
      await this.trainBatches(train, whole, order, batchSize, schedule, totals, epoch, 0, batches, options);
      return train.rows;
    });
  }

  /**
   * Trains until `options.epochs` epochs are complete on data that comes in chunks: every epoch
   * calls `chunksPerEpoch()` and trains on each chunk it yields in turn (its full batches in one run
   * of the epoch Loop, the rest through the step model), so only one chunk need be in memory. Rows
   * are shuffled within each chunk (the caller shuffles across them, e.g. with a shuffle buffer).
   * Validation, history, `onEpochEnd` checkpoints, early stopping and divergence are as in `fit`.
   */
  async fitChunks(chunksPerEpoch: () => AsyncIterable<Dataset>, options: FitChunksOptions): Promise<readonly EpochRecord[]> {
    const { spec } = this.artifacts;
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new InvalidArgumentError('batchSize', batchSize, 'must be a positive integer');
    if (!Number.isInteger(options.epochs) || options.epochs <= 0) throw new InvalidArgumentError('epochs', options.epochs, 'must be a positive integer');
    const schedule = options.learningRate ?? constantRate(this.artifacts.optimizer.learningRate);
    const validation = () => {
      const v = options.validationData?.();
      if (v) checkDataset(spec, v, 'validation data');
      return v ?? undefined;
    };
    return this.runEpochs(options, validation, options.validationData !== undefined, async (epoch, totals) => {
      let rows = 0;
      let batch = 0;
      for await (const chunk of chunksPerEpoch()) {
        if (chunk.rows === 0) continue;
        checkDataset(spec, chunk, 'training chunk');
        const whole = options.loop === false || !this.sessions.epoch ? undefined : {
          features: new this.ort.Tensor('float32', chunk.features, [chunk.rows, chunk.cols]),
          targets: targetTensor(this.ort, spec, chunk.targets),
        };
        const order = options.shuffle === false ? range(chunk.rows) : this.rng.permutation(chunk.rows);
        const batches = options.batchesPerEpoch ?? 0;
        await this.trainBatches(chunk, whole, order, batchSize, schedule, totals, epoch, batch, batches, options);
        batch += Math.ceil(chunk.rows / batchSize);
        rows += chunk.rows;
      }
      if (rows === 0) throw new InvalidArgumentError('chunksPerEpoch', 'empty', 'yielded no training rows');
      return rows;
    });
  }

  /**
   * The epochs of `fit` and `fitChunks`: `body` trains one epoch (adding to its totals) and returns
   * the rows it trained on; this undoes a diverged epoch, records history and validation, checks
   * early stopping and calls `onEpochEnd`.
   */
  private async runEpochs(
    options: Omit<FitOptions, 'validationData' | 'validationSplit'>, validationData: () => Dataset | undefined, hasValidation: boolean,
    body: (epoch: number, totals: EpochTotals) => Promise<number>,
  ): Promise<readonly EpochRecord[]> {
    const { spec } = this.artifacts;
    const monitor = options.earlyStopping?.monitor ?? (hasValidation ? 'val_loss' : 'loss');
    let best = this.params;
    this.stoppedEarly = false;

    while (this.epoch < options.epochs) {
      const started = performance.now();
      const epoch = this.epoch + 1;
      // Taken before the shuffle draws from the generator: a diverged epoch is undone to here.
      const start = { params: this.params, slots: new Map(this.slots), step: this.step, rng: this.rng.state() };
      const totals: EpochTotals = { lossSum: 0, correct: 0, rate: 0 };
      let rows: number;
      try {
        rows = await body(epoch, totals);
      } catch (e) {
        // A diverged epoch is undone whole: the trainer holds the last completed epoch's state,
        // which is also what the last checkpoint holds (an overflowing update can precede the
        // first non-finite loss by a step, so the step before the bad loss is not safe either).
        if (e instanceof TrainingDivergedError) {
          this.params = start.params;
          this.slots = start.slots;
          this.step = start.step;
          this.rng = new Rng(start.rng);
        }
        throw e;
      }
      this.epoch = epoch;
      const validation = validationData();
      const record: EpochRecord = {
        epoch,
        loss: totals.lossSum / rows,
        ...(spec.task !== 'regression' ? { accuracy: totals.correct / rows } : {}),
        ...(validation ? await this.validationRecord(validation) : {}),
        learningRate: totals.rate,
        seconds: (performance.now() - started) / 1000,
      };
      this.history.push(record);
      const status = options.earlyStopping ? stoppingStatus(this.history, options.earlyStopping, monitor) : undefined;
      // Runtime tensors are never mutated (each run returns new ones), so a reference is a snapshot.
      if (status?.improved) best = this.params;
      if (options.onEpochEnd) await options.onEpochEnd(record, await this.state());
      if (status?.stop) {
        this.stoppedEarly = true;
        break;
      }
    }
    if (options.earlyStopping?.restoreBestWeights) this.params = best;
    return [...this.history];
  }

  /**
   * The rows `order` of `train` in batches: the full ones in one run of the epoch Loop (when `whole`
   * holds `train` as tensors), the rest one step each. Batches are numbered from `firstBatch` + 1.
   */
  private async trainBatches(
    train: Dataset, whole: { features: Tensor; targets: Tensor } | undefined, order: Int32Array, batchSize: number,
    schedule: LearningRateSchedule, totals: EpochTotals, epoch: number, firstBatch: number, batches: number, options: Pick<FitOptions, 'onBatchEnd'>,
  ): Promise<void> {
    const count = Math.ceil(order.length / batchSize);
    const looped = whole ? Math.floor(order.length / batchSize) : 0;
    if (looped > 0) await this.runEpochLoop(train, whole!, order.subarray(0, looped * batchSize), batchSize, schedule, totals, epoch, firstBatch, batches, options);
    for (let k = looped; k < count; k++) {
      const rows = order.subarray(k * batchSize, Math.min(order.length, (k + 1) * batchSize));
      const loss = await this.runStep(train, rows, schedule, totals, epoch);
      options.onBatchEnd?.({ epoch, batch: firstBatch + k + 1, batches, loss });
    }
  }

  /** Mean loss (and accuracy for classifiers) of `data` under the current parameters, dropout off. */
  async evaluate(data: Dataset, batchSize = 1024): Promise<{ loss: number; accuracy?: number }> {
    const { spec } = this.artifacts;
    checkDataset(spec, data, 'evaluation data');
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.rows; start += batchSize) {
      const rows = range(Math.min(batchSize, data.rows - start), start);
      const batch = selectRows(data, rows, targetWidth(spec));
      const out = await this.sessions.eval.run({
        [IO.input]: new this.ort.Tensor('float32', batch.features, [rows.length, data.cols]),
        [IO.target]: targetTensor(this.ort, spec, batch.targets),
        [IO.parameters]: this.params,
      });
      lossSum += (out[IO.loss]!.data as Float32Array)[0]! * rows.length;
      correct += this.countCorrect(out[IO.logits]!.data as Float32Array, batch.targets);
    }
    return { loss: lossSum / data.rows, ...(spec.task !== 'regression' ? { accuracy: correct / data.rows } : {}) };
  }

  /** A copy of the current parameters, optimizer state, counters and history, by name. */
  async state(): Promise<TrainingState> {
    const { layout } = this.artifacts;
    const slots = await Promise.all([...this.slots].map(async ([s, t]) => unpackTensors(layout, await this.read(t), `.${s}`)));
    const optimizerState = new Map(slots.flatMap((m) => [...m]));
    return {
      parameters: unpackTensors(layout, await this.read(this.params)),
      optimizerState,
      epoch: this.epoch,
      step: this.step,
      rng: this.rng.state(),
      history: [...this.history],
    };
  }

  /** Where the parameters live between steps: 'cpu', or 'gpu-buffer' with keepStateOnDevice. */
  get stateLocation(): string {
    return this.params.location;
  }

  /** Releases every session. */
  async release(): Promise<void> {
    for (const s of Object.values(this.sessions)) await s?.release();
  }

  /**
   * A tensor's values on the host. A device tensor goes through an Identity session whose output
   * is on the CPU: in Node, `getData()` on a gpu-buffer tensor has been seen to abort the process.
   */
  private async read(t: Tensor): Promise<Float32Array> {
    if (t.location === 'cpu') return t.data as Float32Array;
    const out = await this.sessions.readback!.run({ x: t });
    return out.y!.data as Float32Array;
  }

  /** The full batches of an epoch in one run of the epoch model. */
  private async runEpochLoop(
    train: Dataset, whole: { features: Tensor; targets: Tensor }, rows: Int32Array, batchSize: number,
    schedule: LearningRateSchedule, totals: EpochTotals, epoch: number, firstBatch: number, batches: number, options: Pick<FitOptions, 'onBatchEnd'>,
  ): Promise<void> {
    const steps = rows.length / batchSize;
    const rates = Float32Array.from({ length: steps }, (_, k) => schedule(this.step + 1 + k));
    const noise = drawNoise(this.rng, this.artifacts.noiseInputs, steps, batchSize);
    const out = await this.sessions.epoch!.run({
      [IO.features]: whole.features,
      [IO.targets]: whole.targets,
      [IO.batchOrder]: new this.ort.Tensor('int64', BigInt64Array.from(rows, (r) => BigInt(r)), [steps, batchSize]),
      [IO.learningRates]: new this.ort.Tensor('float32', rates, [steps]),
      [IO.firstStep]: new this.ort.Tensor('float32', Float32Array.of(this.step), []),
      ...this.stateFeeds(),
      ...Object.fromEntries(this.artifacts.noiseInputs.map(({ layer, width }, l) =>
        [IO.dropoutNoise(layer), new this.ort.Tensor('float32', noise[l]!, [steps, batchSize, width])])),
    });
    const losses = out[IO.losses]!.data as Float32Array;
    const bad = losses.findIndex((l) => !Number.isFinite(l));
    if (bad >= 0) throw new TrainingDivergedError(epoch, this.step + bad + 1, losses[bad]!);
    this.takeState(out);
    this.step += steps;
    const width = targetWidth(this.artifacts.spec);
    totals.correct += this.countCorrect(out[IO.batchLogits]!.data as Float32Array, gatherTargets(train, rows, width));
    losses.forEach((l, k) => {
      totals.lossSum += l * batchSize;
      options.onBatchEnd?.({ epoch, batch: firstBatch + k + 1, batches, loss: l });
    });
    totals.rate = rates[steps - 1]!;
  }

  /** One mini-batch through the one-step model; returns its loss. */
  private async runStep(train: Dataset, rows: Int32Array, schedule: LearningRateSchedule, totals: EpochTotals, epoch: number): Promise<number> {
    const { spec, noiseInputs } = this.artifacts;
    const batch = selectRows(train, rows, targetWidth(spec));
    const rate = schedule(this.step + 1);
    const noise = drawNoise(this.rng, noiseInputs, 1, rows.length);
    const out = await this.sessions.step.run({
      [IO.input]: new this.ort.Tensor('float32', batch.features, [rows.length, train.cols]),
      [IO.target]: targetTensor(this.ort, spec, batch.targets),
      [IO.learningRate]: new this.ort.Tensor('float32', Float32Array.of(rate), []),
      [IO.step]: new this.ort.Tensor('float32', Float32Array.of(this.step + 1), []),
      ...this.stateFeeds(),
      ...Object.fromEntries(noiseInputs.map(({ layer, width }, l) =>
        [IO.dropoutNoise(layer), new this.ort.Tensor('float32', noise[l]!, [rows.length, width])])),
    });
    const loss = (out[IO.loss]!.data as Float32Array)[0]!;
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, this.step + 1, loss);
    this.takeState(out);
    this.step++;
    totals.lossSum += loss * rows.length;
    totals.correct += this.countCorrect(out[IO.logits]!.data as Float32Array, batch.targets);
    totals.rate = rate;
    return loss;
  }

  private stateFeeds(): Record<string, Tensor> {
    return { [IO.parameters]: this.params, ...Object.fromEntries([...this.slots].map(([s, t]) => [IO.state(s), t])) };
  }

  private takeState(out: Record<string, Tensor>): void {
    this.params = out[IO.updated(IO.parameters)]!;
    for (const s of this.slots.keys()) this.slots.set(s, out[IO.updated(IO.state(s))]!);
  }

  private async validationRecord(data: Dataset): Promise<Partial<EpochRecord>> {
    const r = await this.evaluate(data);
    return { valLoss: r.loss, ...(r.accuracy !== undefined ? { valAccuracy: r.accuracy } : {}) };
  }

  private countCorrect(logits: Float32Array, targets: Float32Array): number {
    const { spec } = this.artifacts;
    if (spec.task === 'regression') return 0;
    return spec.task === 'multiclass' ? countCorrectMulticlass(logits, targets, spec.outputs) : countCorrectBinary(logits, targets);
  }

  private flat(data: Float32Array): Tensor {
    return new this.ort.Tensor('float32', data, [data.length]);
  }
}

interface Sessions {
  readonly step: InferenceSession;
  /** Absent when state stays on a device, where Loop would run on the CPU. */
  readonly epoch?: InferenceSession;
  readonly eval: InferenceSession;
  readonly readback?: InferenceSession;
}

/** y = Identity(x) over a flat vector: copies a device tensor to the host. */
function readbackModel(): Model {
  const b = new GraphBuilder('readback');
  b.output(b.op('Identity', [b.input('x', DataType.FLOAT, ['n'])], {}, { names: ['y'] }));
  return makeModel(b.build());
}

/** Splits off Keras-style validation rows when `validationSplit` is set. */
function holdOut(data: Dataset, options: FitOptions, width: number): [Dataset, Dataset | undefined] {
  const fraction = options.validationSplit;
  if (fraction === undefined) return [data, options.validationData];
  if (!(fraction > 0 && fraction < 1)) throw new InvalidArgumentError('validationSplit', fraction, 'must be in (0, 1)');
  if (options.validationData) throw new InvalidArgumentError('validationSplit', fraction, 'cannot be combined with validationData');
  const cut = data.rows - Math.round(data.rows * fraction);
  if (cut <= 0 || cut >= data.rows) throw new InvalidArgumentError('validationSplit', fraction, `leaves no rows on one side of ${data.rows}`);
  return [selectRows(data, range(cut), width), selectRows(data, range(data.rows - cut, cut), width)];
}
