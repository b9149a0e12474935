import { OnnxMlpError } from '../errors.js';
import { type MlpSpec, layerShapes } from './spec.js';

/**
 * float32 weights one `.onnx` file can hold: ONNX models are protocol buffers, which cannot exceed
 * 2 GiB, and model.onnx stores its weights inside.
 */
export const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** Parameters of an MLP: each layer's weights and biases. */
export function parameterCount(spec: MlpSpec): number {
  return layerShapes(spec).reduce((n, [fanIn, fanOut]) => n + fanIn * fanOut + fanOut, 0);
}

/** What training an MLP holds at least: weights, gradients and `slots` optimizer vectors (Adam: 2), float32 each. */
export function trainingBytes(spec: MlpSpec, slots: number): number {
  return parameterCount(spec) * 4 * (2 + slots);
}

/** 1.3 TiB, 512 MiB: a byte count as people read it. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/** An MLP too large to write as one `.onnx` file or to train in the memory there is: refused before anything is allocated. */
export class ModelTooLargeError extends OnnxMlpError {
  constructor(message: string, fields: Readonly<Record<string, unknown>>) {
    super(message, { code: 'MODEL_TOO_LARGE', fields, userError: true });
    this.name = 'ModelTooLargeError';
  }
}

/**
 * Throws ModelTooLargeError, with the size it would need, when the MLP's weights cannot fit one
 * `.onnx` file or training it needs more than `memoryBytes` (the machine's memory, when known).
 */
export function checkModelSize(spec: MlpSpec, o: { slots: number; memoryBytes?: number }): void {
  const parameters = parameterCount(spec);
  const arch = [spec.inputs, ...spec.hidden, spec.outputs].join('-');
  const weights = parameters * 4;
  const training = trainingBytes(spec, o.slots);
  const fields = { parameters, weightBytes: weights, trainingBytes: training, memoryBytes: o.memoryBytes ?? null };
  const what = `the MLP ${arch} has ${parameters.toLocaleString('en-US')} parameters`;
  if (weights > MAX_MODEL_BYTES) {
    throw new ModelTooLargeError(
      `${what}: its weights need ${formatBytes(weights)}, more than the ${formatBytes(MAX_MODEL_BYTES + 1)} one .onnx file can hold, and training needs ${formatBytes(training)}`,
      fields,
    );
  }
  if (o.memoryBytes !== undefined && training > o.memoryBytes) {
    throw new ModelTooLargeError(
      `${what}: training needs at least ${formatBytes(training)} (weights, gradients and optimizer state), more than this machine's ${formatBytes(o.memoryBytes)}`,
      fields,
    );
  }
}
