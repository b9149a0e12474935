import { GraphBuilder } from '../ir/builder.js';
import { decodeModel } from '../ir/decode.js';
import { encodeModel } from '../ir/encode.js';
import { makeModel } from '../ir/model.js';
import type { TrainingState } from '../training/state.js';
import type { MlpSpec } from '../model/spec.js';
import type { OptimizerConfig } from '../optimizers/index.js';
import { META } from './metadata.js';
import { parameterLayout } from '../model/layout.js';
import { OnnxMlpError } from '../errors.js';

export type { EpochRecord } from '../training/state.js';

/** Everything needed to continue a run exactly where it stopped. */
export interface Checkpoint extends TrainingState {
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  /** Caller's extra facts (data source, class names). */
  readonly extra?: Record<string, unknown>;
}

/**
 * Serializes a checkpoint as an ONNX ModelProto with no nodes: tensors as initializers,
 * counters as metadata. Any ONNX reader (onnx.load, Netron) can open it.
 */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const b = new GraphBuilder('checkpoint');
  for (const [name, t] of c.parameters) b.initializer(name, t);
  for (const [name, t] of c.optimizerState) b.initializer(name, t);
  const meta = {
    [META.kind]: 'checkpoint',
    [META.spec]: JSON.stringify(c.spec),
    [META.optimizer]: JSON.stringify(c.optimizer),
    // The same format as the training models' key: one slot per parameter, in flat-vector order.
    [META.parameters]: JSON.stringify(parameterLayout(c.spec).slots),
    [META.weightLayout]: 'in_out',
    [META.optimizerState]: JSON.stringify([...c.optimizerState.keys()]),
    [META.checkpoint]: JSON.stringify({ epoch: c.epoch, step: c.step, rng: c.rng, history: c.history, extra: c.extra ?? {} }),
  };
  return encodeModel(makeModel(b.build('onnx-mlp checkpoint: parameters and optimizer state'), { metadata: meta }));
}

/** Thrown when a file is not an onnx-mlp checkpoint. */
export class CheckpointError extends OnnxMlpError {
  constructor(message: string) {
    super(message, { code: 'CHECKPOINT', userError: true });
    this.name = 'CheckpointError';
  }
}

/** Parses the bytes written by `encodeCheckpoint`. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const model = decodeModel(bytes);
  const meta = model.metadata;
  if (meta.get(META.kind) !== 'checkpoint')
    throw new CheckpointError('not an onnx-mlp checkpoint (metadata onnx_mlp.kind is not "checkpoint")');
  // Parameter slots ({name, dims, offset, size}); checkpoints before that format list bare names.
  const names = (key: string) =>
    (JSON.parse(meta.get(key) ?? '[]') as Array<string | { name: string }>).map((e) => (typeof e === 'string' ? e : e.name));
  const tensors = (list: string[]) =>
    new Map(
      list.map((n) => {
        const t = model.graph.initializers.get(n);
        if (!t) throw new CheckpointError(`checkpoint is missing tensor ${n}`);
        return [n, t];
      }),
    );
  const counters = JSON.parse(meta.get(META.checkpoint) ?? '{}');
  return {
    spec: JSON.parse(meta.get(META.spec)!),
    optimizer: JSON.parse(meta.get(META.optimizer)!),
    parameters: tensors(names(META.parameters)),
    optimizerState: tensors(names(META.optimizerState)),
    epoch: counters.epoch,
    step: counters.step,
    rng: counters.rng,
    history: counters.history,
    extra: counters.extra,
  };
}
