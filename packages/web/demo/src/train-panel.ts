import { hasWebGpuAdapter, train, type TrainResult } from '@onnx-mlp/web';
import { byId, clearMessage, errorText, showMessage } from './dom.js';
import { pickData, readFormOptions, type FormOptions, type PickedData } from './train-form.js';
import { ortFiles } from './ort-files.js';
import { hideResult, showResult } from './trained-model.js';
import { trainingProgress } from './training-progress.js';

/** The "train on your CSV" panel: pick data, train in the package's worker, then use the model. */
export function setUpTrainPanel(sampleCsvUrl: string): void {
  const message = byId('train-message');
  const start = byId<HTMLButtonElement>('train-start');
  const cancel = byId<HTMLButtonElement>('train-cancel');
  let picked: PickedData | null = null;
  let running: AbortController | null = null;

  const usePicked = async (file: File): Promise<void> => {
    clearMessage(message);
    try {
      picked = await pickData(file);
      start.disabled = running !== null;
    } catch (error) {
      picked = null;
      start.disabled = true;
      showMessage(message, errorText(error));
    }
  };
  byId<HTMLInputElement>('train-file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void usePicked(file);
  });
  byId('train-sample').addEventListener('click', async () => {
    try {
      const response = await fetch(sampleCsvUrl);
      if (!response.ok) throw new Error(`${sampleCsvUrl}: HTTP ${response.status}`);
      await usePicked(new File([await response.blob()], 'customers.csv', { type: 'text/csv' }));
    } catch (error) {
      showMessage(message, `Could not fetch the sample: ${errorText(error)}`);
    }
  });
  cancel.addEventListener('click', () => running?.abort());

  start.addEventListener('click', async () => {
    if (!picked || running) return;
    clearMessage(message);
    hideResult();
    let options: FormOptions;
    try {
      options = readFormOptions();
    } catch (error) {
      showMessage(message, errorText(error));
      return;
    }
    if (options.backend === 'webgpu' && !await hasWebGpuAdapter()) {
      showMessage(message, 'WebGPU was asked for, but this browser has no WebGPU adapter: training on WASM (CPU) instead.', 'notice');
      options = { ...options, backend: 'wasm' as const };
    }
    const progress = trainingProgress(options.epochs);
    running = new AbortController();
    start.disabled = true;
    cancel.disabled = false;
    progress.status('starting…');
    const started = performance.now();
    try {
      const result: TrainResult = await train({
        ...options,
        data: picked.file,
        wasmPaths: ortFiles(options.backend),
        signal: running.signal,
        onNotice: (notice) => showMessage(message, notice, 'notice'),
        onTrainBegin: (e) => progress.status(`training on ${e.rows.train} rows (${e.rows.val} validation, ${e.rows.test} test)`),
        onBatchEnd: (e) => progress.status(`epoch ${e.epoch}/${options.epochs}, batch ${e.batch}/${e.batches}, loss ${e.loss.toFixed(4)}`),
        onEpochEnd: (e) => progress.epochEnded(e),
      });
      progress.status(`trained ${result.history.length} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await showResult(result, picked.preview, options.label);
    } catch (error) {
      const aborted = running.signal.aborted;
      progress.status(aborted ? 'cancelled' : 'failed');
      showMessage(message, aborted ? 'Training cancelled: no model was kept.' : errorText(error), aborted ? 'notice' : 'error');
    } finally {
      running = null;
      start.disabled = picked === null;
      cancel.disabled = true;
    }
  });
}
