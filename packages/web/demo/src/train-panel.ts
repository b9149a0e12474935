import { train } from '@onnx-mlp/web';
import { byId, clearMessage, errorText, showMessage } from './dom.js';
import { pickData, readFormOptions, type FormOptions, type PickedData } from './train-form.js';
import { ortFilesByBackend } from './ort-files.js';
import { hideResult, showResult } from './trained-model.js';
import { trainingProgress } from './training-progress.js';

/** The panel's state: the data picked, and the run in progress (at most one). */
interface PanelState {
  picked: PickedData | null;
  running: AbortController | null;
}

/** One training run of the picked data: progress while it runs, the model when it ends, a message when it fails. */
async function runTraining(state: PanelState, picked: PickedData): Promise<void> {
  const message = byId('train-message');
  const start = byId<HTMLButtonElement>('train-start');
  const cancel = byId<HTMLButtonElement>('train-cancel');
  clearMessage(message);
  hideResult();
  let options: FormOptions;
  try {
    options = readFormOptions();
  } catch (error) {
    showMessage(message, errorText(error));
    return;
  }
  const progress = trainingProgress(options.epochs);
  const running = new AbortController();
  state.running = running;
  start.disabled = true;
  cancel.disabled = false;
  progress.status('starting…');
  const started = performance.now();
  try {
    const result = await train({
      ...options,
      data: picked.file,
      wasmPaths: ortFilesByBackend(), // where WebGPU is asked for but missing, the package falls back to WASM with a notice
      signal: running.signal,
      onNotice: (notice) => showMessage(message, notice, 'notice'),
      onTrainBegin: (e) => progress.status(`training on ${e.rows.train} rows (${e.rows.val} validation, ${e.rows.test} test)`),
      onBatchEnd: (e) => progress.status(`epoch ${e.epoch}/${options.epochs}, batch ${e.batch}/${e.batches}, loss ${e.loss.toFixed(4)}`),
      onEpochEnd: (e) => progress.epochEnded(e),
    });
    progress.status(`trained ${result.history.length} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await showResult(result, picked.preview, options.label);
  } catch (error) {
    // Nothing of a failed or cancelled run is kept: no model is offered for download.
    const aborted = running.signal.aborted;
    progress.status(aborted ? 'cancelled' : 'failed');
    showMessage(message, aborted ? 'Training cancelled: no model was kept.' : errorText(error), aborted ? 'notice' : 'error');
  } finally {
    state.running = null;
    start.disabled = state.picked === null;
    cancel.disabled = true;
  }
}

/** The "train on your CSV" panel: pick data, train in the package's worker, then use the model. */
export function setUpTrainPanel(sampleCsvUrl: string): void {
  const message = byId('train-message');
  const start = byId<HTMLButtonElement>('train-start');
  const state: PanelState = { picked: null, running: null };

  const usePicked = async (file: File): Promise<void> => {
    clearMessage(message);
    try {
      state.picked = await pickData(file);
      start.disabled = state.running !== null;
    } catch (error) {
      state.picked = null;
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
  byId('train-cancel').addEventListener('click', () => state.running?.abort());
  start.addEventListener('click', () => {
    if (state.picked && !state.running) void runTraining(state, state.picked);
  });
}
