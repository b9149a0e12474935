import type { InferenceSession } from 'onnxruntime-common';
import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import { encodeModel } from '../ir/encode.js';
import { makeModel } from '../ir/model.js';
import { InvalidArgumentError } from '../errors.js';
import type { OrtRuntime } from './runtime.js';
import type { TrainerOptions } from './trainer.js';

export const DEVICES = ['cpu', 'cuda', 'webgpu', 'auto'] as const;
export type Device = (typeof DEVICES)[number];

/** Where training will run, and how to set the trainer up for it. */
export interface DeviceChoice {
  readonly device: Exclude<Device, 'auto'>;
  readonly trainerOptions: TrainerOptions;
  /** Whether to run epochs in an ONNX Loop: on WebGPU the Loop runs on the CPU, so no. */
  readonly loop: boolean;
  /** Something the user should know (a fallback), or undefined. */
  readonly notice?: string;
}

/** The command that installs onnxruntime-node's CUDA provider (needs the internet and an NVIDIA GPU). */
export const INSTALL_CUDA_COMMAND = 'npm run install:cuda';

/** Thrown when the requested execution provider cannot start here. */
export class DeviceUnavailableError extends Error {
  constructor(readonly device: string, message: string) {
    super(message);
    this.name = 'DeviceUnavailableError';
  }
}

/** Opens a one-node session on `provider`: the cheapest honest test that the provider works. */
async function probe(ort: OrtRuntime, provider: string): Promise<string | undefined> {
  const b = new GraphBuilder('probe');
  b.output(b.op('Relu', [b.input('x', DataType.FLOAT, [1])]), 'y');
  try {
    // Quiet: a missing provider is an expected answer here, not an error for the log.
    const session = await ort.InferenceSession.create(encodeModel(makeModel(b.build())), { executionProviders: [provider], logSeverityLevel: 4 });
    await session.release();
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

function options(device: 'cpu' | 'cuda' | 'webgpu', base: InferenceSession.SessionOptions): DeviceChoice {
  const sessionOptions = { ...base, executionProviders: [device] };
  // WebGPU keeps parameters in GPU buffers between steps; the Loop would drag them to the CPU.
  if (device === 'webgpu') return { device, trainerOptions: { sessionOptions, keepStateOnDevice: true }, loop: false };
  return { device, trainerOptions: { sessionOptions }, loop: true };
}

/**
 * Resolves `cpu | cuda | webgpu | auto` against what `ort` can run. An explicit device that
 * cannot start throws DeviceUnavailableError saying what to do; `auto` takes CUDA when it works
 * and otherwise the CPU, with a notice.
 */
export async function chooseDevice(ort: OrtRuntime, requested: string, base: InferenceSession.SessionOptions = {}): Promise<DeviceChoice> {
  if (!(DEVICES as readonly string[]).includes(requested)) {
    throw new InvalidArgumentError('device', requested, `must be one of ${DEVICES.join(', ')}`);
  }
  if (requested === 'cpu') return options('cpu', base);
  if (requested === 'auto') {
    const cudaError = await probe(ort, 'cuda');
    if (!cudaError) return options('cuda', base);
    return { ...options('cpu', base), notice: `CUDA is not available (${INSTALL_CUDA_COMMAND} installs it where there is a GPU); training on the CPU` };
  }
  const error = await probe(ort, requested);
  if (!error) return options(requested as 'cuda' | 'webgpu', base);
  const fix = requested === 'cuda'
    ? `its binaries are not installed: run \`${INSTALL_CUDA_COMMAND}\` on a machine with an NVIDIA GPU and internet access`
    : 'no WebGPU adapter was found (on Debian without a GPU, `npm run install:lavapipe` installs a software one)';
  throw new DeviceUnavailableError(requested, `--device ${requested} cannot start: ${fix} (${error})`);
}
