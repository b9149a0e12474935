import { hasWebGpuAdapter, train, type TrainResult } from '@onnx-mlp/web';
import { byId, clearMessage, errorText, showMessage } from './dom.js';
import { appendEpochRow, type EpochRow } from './epoch-table.js';
import { pickData, readFormOptions, type FormOptions, type PickedData } from './train-form.js';
import { renderTrainingChart } from './training-chart.js';
import { ortFiles } from './ort-files.js';
import { hideResult, showResult } from './trained-model.js';

function chart(history: readonly EpochRow[], epochs: number): void {
  renderTrainingChart(byId('train-chart'), [
    { name: 'loss', colour: '#c2410c', axis: 'loss', values: history.map((h) => h.loss) },
    { name: 'val loss', colour: '#f59e0b', axis: 'loss', values: history.map((h) => h.valLoss) },
    { name: 'accuracy', colour: '#1d4ed8', axis: 'accuracy', values: history.map((h) => h.accuracy) },
    { name: 'val accuracy', colour: '#0891b2', axis: 'accuracy', values: history.map((h) => h.valAccuracy) },
  ], epochs);
}

/** The "train on your CSV" panel: pick data, train in the package's worker, then use the model. */
export function setUpTrainPanel(sampleCsvUrl: string): void {
  const message = byId('train-message');
  const status = byId('train-status');
  const start = byId<HTMLButtonElement>('train-start');
  const cancel = byId<HTMLButtonElement>('train-cancel');
  const tableBody = byId<HTMLTableElement>('train-epochs-table').tBodies[0]!;
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
    const history: EpochRow[] = [];
    tableBody.replaceChildren();
    byId('train-progress').hidden = false;
    chart(history, options.epochs);
    running = new AbortController();
    start.disabled = true;
    cancel.disabled = false;
    status.textContent = 'starting…';
    const started = performance.now();
    try {
      const result: TrainResult = await train({
        ...options,
        data: picked.file,
        wasmPaths: ortFiles(options.backend),
        signal: running.signal,
        onTrainBegin: (e) => { status.textContent = `training on ${e.rows.train} rows (${e.rows.val} validation, ${e.rows.test} test)`; },
        onBatchEnd: (e) => { status.textContent = `epoch ${e.epoch}/${options.epochs}, batch ${e.batch}/${e.batches}, loss ${e.loss.toFixed(4)}`; },
        onEpochEnd: (e) => {
          history.push(e);
          appendEpochRow(tableBody, e);
          chart(history, options.epochs);
        },
      });
      status.textContent = `trained ${result.history.length} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      await showResult(result, picked.preview, options.label);
    } catch (error) {
      const aborted = running.signal.aborted;
      status.textContent = aborted ? 'cancelled' : 'failed';
      showMessage(message, aborted ? 'Training cancelled: no model was kept.' : errorText(error), aborted ? 'notice' : 'error');
    } finally {
      running = null;
      start.disabled = picked === null;
      cancel.disabled = true;
    }
  });
}
