import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { GraphBuilder } from '../ir/builder.js';
import { DataType } from '../ir/dtype.js';
import { encodeModel } from '../ir/encode.js';
import type { Model } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { IO } from '../artifacts/io-names.js';
import type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
import type { OrtRuntime } from './runtime.js';

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

/** The runtime sessions of one trainer, one per artifact it runs. */
export interface Sessions {
  readonly step: InferenceSession;
  /** Absent when state stays on a device, where Loop would run on the CPU. */
  readonly epoch?: InferenceSession;
  readonly eval: InferenceSession;
  /** Present with `keepStateOnDevice`: copies a device tensor to the host. */
  readonly readback?: InferenceSession;
}

/** Opens the step, epoch, eval (and readback) sessions of `artifacts` on `ort`. */
export async function openSessions(ort: OrtRuntime, artifacts: TrainingArtifacts, options: TrainerOptions): Promise<Sessions> {
  const base = options.sessionOptions ?? {};
  const open = (m: Model, extra: InferenceSession.SessionOptions = {}) =>
    ort.InferenceSession.create(encodeModel(m), { ...base, ...extra });
  // On a device, the updated state stays there; loss and logits come back to the host.
  const onDevice = options.keepStateOnDevice
    ? {
        preferredOutputLocation: Object.fromEntries(
          [IO.parameters, ...artifacts.slots.map(IO.state)].map((n) => [IO.updated(n), 'gpu-buffer' as const]),
        ),
      }
    : {};
  return {
    step: await open(artifacts.trainingModel, onDevice),
    epoch: options.keepStateOnDevice ? undefined : await open(artifacts.epochModel),
    eval: await open(artifacts.evalModel),
    readback: options.keepStateOnDevice ? await open(readbackModel()) : undefined,
  };
}

/** y = Identity(x) over a flat vector: copies a device tensor to the host. */
function readbackModel(): Model {
  const b = new GraphBuilder('readback');
  b.output(b.op('Identity', [b.input('x', DataType.FLOAT, ['n'])], {}, { names: ['y'] }));
  return makeModel(b.build());
}

/**
 * A tensor's values on the host. A device tensor goes through the readback session, whose output
 * is on the CPU: in Node, `getData()` on a gpu-buffer tensor has been seen to abort the process.
 */
export async function readToHost(sessions: Sessions, t: Tensor): Promise<Float32Array> {
  if (t.location === 'cpu') return t.data as Float32Array;
  const out = await sessions.readback!.run({ x: t });
  return out.y!.data as Float32Array;
}
