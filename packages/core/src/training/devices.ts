import type { InferenceSession } from 'onnxruntime-common';
import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import { encodeModel } from '../ir/encode.js';
import { makeModel } from '../ir/model.js';
import { InvalidArgumentError, OnnxMlpError } from '../errors.js';
import type { OrtRuntime } from './runtime.js';
import type { TrainerOptions } from './sessions.js';

/** The devices training can run on; `auto` picks CUDA when it starts, else the CPU. */
export const DEVICES = ['cpu', 'cuda', 'webgpu', 'auto'] as const;
/** A device, one of DEVICES. */
export type Device = (typeof DEVICES)[number];

/** Where training will run, and how to set the trainer up for it. */
export interface DeviceChoice {
  readonly device: Exclude<Device, 'auto'>;
  readonly trainerOptions: TrainerOptions;
  /** Whether to run epochs in an ONNX Loop: on WebGPU the Loop runs on the CPU, so no. */
  readonly loop: boolean;
  /** Something the user should know (a fallback), or undefined. */
  readonly notice?: string;
  /** Set when `auto` fell back to the CPU: the device it tried and why that failed. */
  readonly fallback?: { readonly device: 'cuda'; readonly error: string };
}

/** Why a device cannot start: its provider is not installed, or no adapter was found. */
export type DeviceFailure = 'not-installed' | 'no-adapter';

/**
 * Thrown when the requested execution provider cannot start here. Fields: `device`, `failure`
 * and the provider's own `error`, so a front end can say how to fix it in its own terms.
 */
export class DeviceUnavailableError extends OnnxMlpError {
  constructor(
    readonly device: string,
    message: string,
    details: { failure?: DeviceFailure; error?: string } = {},
  ) {
    super(message, { code: 'DEVICE_UNAVAILABLE', fields: { device, ...details }, userError: true });
    this.name = 'DeviceUnavailableError';
  }
}

/** Opens a one-node session on `provider`: the cheapest honest test that the provider works. */
async function probe(ort: OrtRuntime, provider: string): Promise<string | undefined> {
  const b = new GraphBuilder('probe');
  b.output(b.op('Relu', [b.input('x', DataType.FLOAT, [1])]), 'y');
  try {
    // Quiet: a missing provider is an expected answer here, not an error for the log.
    const session = await ort.InferenceSession.create(encodeModel(makeModel(b.build())), {
      executionProviders: [provider],
      logSeverityLevel: 4,
    });
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
 * cannot start throws DeviceUnavailableError saying why (fields for a front end to word the fix); `auto` takes CUDA when it works
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
    return {
      ...options('cpu', base),
      notice: 'CUDA is not available; training on the CPU',
      fallback: { device: 'cuda', error: cudaError },
    };
  }
  const error = await probe(ort, requested);
  if (!error) return options(requested as 'cuda' | 'webgpu', base);
  const failure: DeviceFailure = requested === 'cuda' ? 'not-installed' : 'no-adapter';
  const fix = failure === 'not-installed' ? 'its execution provider is not installed' : 'no WebGPU adapter was found';
  throw new DeviceUnavailableError(requested, `device ${requested} cannot start: ${fix} (${error})`, { failure, error });
}
