import { WebTrainError } from './errors.js';
import { dataName } from './train/read-table.js';
import type { StartMessage, WorkerMessage, WorkerTrainOptions } from './train/messages.js';
import type { TrainOptions, TrainResult } from './train/options.js';

function startWorker(options: TrainOptions): Worker {
  try {
    // Written out in full so that bundlers (Vite, webpack 5) see the worker and emit it.
    return options.worker ? options.worker() : new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  } catch (e) {
    throw new WebTrainError('worker', `the training worker could not start (${(e as Error).message})`, { cause: e });
  }
}

/** The options that can be posted: callbacks, the signal and the worker factory stay on the page. */
function postable(options: TrainOptions): WorkerTrainOptions {
  const {
    signal: _signal,
    worker: _worker,
    onTrainBegin: _b,
    onEpochEnd: _e,
    onBatchEnd: _n,
    onTrainEnd: _t,
    onNotice: _o,
    ...rest
  } = options;
  // A File's name does not survive every structured clone (Node's worker_threads drops it).
  return { ...rest, dataName: dataName(options.data, options.dataName) };
}

/**
 * Trains in a module Web Worker (the package's train-worker.js, on onnxruntime-web) so the page
 * never freezes: the same pipeline as trainInThisThread, events forwarded to the callbacks, the
 * model and checkpoint bytes transferred back. Aborting terminates the worker (WASM memory is only
 * given back that way) and rejects with a WebTrainError 'aborted'; errors in the worker are re-thrown
 * as WebTrainErrors with their code.
 */
export function train(options: TrainOptions): Promise<TrainResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new WebTrainError('aborted', 'training was cancelled (AbortSignal); no model was made'));
  const worker = startWorker(options);
  return new Promise<TrainResult>((resolve, reject) => {
    const finish = (settle: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      settle();
    };
    const onAbort = () => finish(() => reject(new WebTrainError('aborted', 'training was cancelled (AbortSignal); no model was made')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault?.();
      finish(() => reject(new WebTrainError('worker', `the training worker failed (${e.message || 'it could not be loaded'})`)));
    });
    worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.type === 'event') {
        const handler = (options as unknown as Record<string, ((event: unknown) => void) | undefined>)[m.name];
        if (m.name === 'onNotice' && !handler) console.warn(m.event);
        else handler?.(m.event);
      } else if (m.type === 'done') {
        finish(() =>
          resolve({
            model: new Uint8Array(m.model),
            checkpoint: new Uint8Array(m.checkpoint),
            history: m.history,
            testMetrics: m.testMetrics,
          }),
        );
      } else {
        // An error without a code comes from below the pipeline: ONNX Runtime (its .wasm, a backend).
        finish(() => reject(new WebTrainError(m.code ?? 'runtime', m.message)));
      }
    });
    const start: StartMessage = { type: 'train', options: postable(options) };
    worker.postMessage(start);
  });
}
