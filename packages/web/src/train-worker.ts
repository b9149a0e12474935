// The module Web Worker `train` starts: runs trainInThisThread on onnxruntime-web (WASM, or WebGPU
// when asked for and available) and posts events and the result back, buffers transferred.
import { WebTrainError } from './errors.js';
import { resolveRuntime } from './runtime.js';
import type { EventName, StartMessage, WorkerMessage } from './train/messages.js';
import { trainInThisThread } from './train/train-in-thread.js';

interface WorkerScope {
  postMessage(message: WorkerMessage, options?: { transfer?: Transferable[] }): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<StartMessage>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

function forward(name: EventName) {
  return (event: unknown) => scope.postMessage({ type: 'event', name, event });
}

/** Copies a Uint8Array into its own ArrayBuffer, which can then be transferred. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : bytes.slice().buffer;
}

async function run(message: StartMessage): Promise<void> {
  const { options } = message;
  const onNotice = forward('onNotice');
  const runtime = await resolveRuntime({
    onNotice,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.wasmPaths ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.numThreads !== undefined ? { numThreads: options.numThreads } : {}),
  });
  // The runtime is resolved above (with any fallback notice); the pipeline takes the backend as chosen.
  const result = await trainInThisThread({
    ...options,
    runtime: runtime.ort,
    backend: runtime.backend === 'webgpu' ? 'webgpu' : 'wasm',
    onNotice,
    onTrainBegin: forward('onTrainBegin'),
    onEpochEnd: forward('onEpochEnd'),
    onBatchEnd: forward('onBatchEnd'),
    onTrainEnd: forward('onTrainEnd'),
  });
  const model = ownBuffer(result.model);
  const checkpoint = ownBuffer(result.checkpoint);
  scope.postMessage(
    { type: 'done', model, checkpoint, history: result.history, testMetrics: result.testMetrics },
    { transfer: [model, checkpoint] },
  );
}

scope.addEventListener('message', (e) => {
  if (e.data?.type !== 'train') return;
  run(e.data).catch((error: unknown) => {
    const code = error instanceof WebTrainError ? error.code : null;
    scope.postMessage({ type: 'error', code, message: error instanceof Error ? error.message : String(error) });
  });
});
