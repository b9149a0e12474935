import type { Tensor } from 'onnxruntime-common';
import { IO } from '../artifacts/io-names.js';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import { packTensors, unpackTensors } from '../model/layout.js';
import { Rng, type RngState } from '../model/rng.js';
import type { OrtRuntime } from './runtime.js';
import type { EpochRecord, TrainingState } from './state.js';

/** What a diverged epoch is undone to: the state before its first draw from the generator. */
export interface EpochStart {
  readonly params: Tensor;
  readonly slots: ReadonlyMap<string, Tensor>;
  readonly step: number;
  readonly rng: RngState;
}

/**
 * A run's state as the runtime holds it between runs: parameters and optimizer slots as flat
 * runtime tensors (fed to each run, replaced by its outputs), counters, generator and history.
 * Runtime tensors are never mutated (each run returns new ones), so a reference is a snapshot.
 */
export class RuntimeState {
  params: Tensor;
  slots: Map<string, Tensor>;
  epoch: number;
  step: number;
  rng: Rng;
  readonly history: EpochRecord[];

  constructor(
    private readonly ort: OrtRuntime,
    private readonly artifacts: TrainingArtifacts,
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

  /** The parameter and optimizer-state inputs of the step and epoch models. */
  feeds(): Record<string, Tensor> {
    return { [IO.parameters]: this.params, ...Object.fromEntries([...this.slots].map(([s, t]) => [IO.state(s), t])) };
  }

  /** Takes the updated parameters and optimizer state from a run's outputs. */
  take(out: Record<string, Tensor>): void {
    this.params = out[IO.updated(IO.parameters)]!;
    for (const s of this.slots.keys()) this.slots.set(s, out[IO.updated(IO.state(s))]!);
  }

  /** Marks where an epoch starts, before its shuffle draws from the generator. */
  epochStart(): EpochStart {
    return { params: this.params, slots: new Map(this.slots), step: this.step, rng: this.rng.state() };
  }

  /** Goes back to `start`: the epoch that began there is undone whole. */
  restore(start: EpochStart): void {
    this.params = start.params;
    this.slots = new Map(start.slots);
    this.step = start.step;
    this.rng = new Rng(start.rng);
  }

  /** A copy by name, reading tensors to the host with `read` (device tensors need a session). */
  async toTrainingState(read: (t: Tensor) => Promise<Float32Array>): Promise<TrainingState> {
    const { layout } = this.artifacts;
    // One read at a time: onnxruntime-web on WebGPU never settles two concurrent run() calls on one
    // session (the readback session here), seen as a hang in Chromium.
    const slots = [];
    for (const [s, t] of this.slots) slots.push(unpackTensors(layout, await read(t), `.${s}`));
    return {
      parameters: unpackTensors(layout, await read(this.params)),
      optimizerState: new Map(slots.flatMap((m) => [...m])),
      epoch: this.epoch,
      step: this.step,
      rng: this.rng.state(),
      history: [...this.history],
    };
  }

  private flat(data: Float32Array): Tensor {
    return new this.ort.Tensor('float32', data, [data.length]);
  }
}
