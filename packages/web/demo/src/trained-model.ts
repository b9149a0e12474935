import { loadModel, type Model, type TrainResult } from '@onnx-mlp/web';
import type { DataPreview } from './data-preview.js';
import { byId, errorText } from './dom.js';
import { ortFiles } from './ort-files.js';

let current: { model: Model; urls: string[] } | null = null;

/** Hides the trained-model section and lets go of the last model and its download URLs. */
export function hideResult(): void {
  byId('train-result').hidden = true;
  byId('try-output').textContent = '';
  byId('try-record').textContent = '';
  if (!current) return;
  for (const url of current.urls) URL.revokeObjectURL(url);
  void current.model.dispose();
  current = null;
}

function downloadUrl(id: string, bytes: Uint8Array): string {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  byId<HTMLAnchorElement>(id).href = url;
  return url;
}

async function predictRow(model: Model, preview: DataPreview, label: string): Promise<void> {
  const output = byId('try-output');
  const rowInput = byId<HTMLInputElement>('try-row');
  const index = Number(rowInput.value) - 1;
  const row = preview.records[index];
  if (!Number.isInteger(index) || !row) {
    output.textContent = `Row must be between 1 and ${preview.records.length}.`;
    return;
  }
  // The columns the model reads (the label and left-out columns are not inputs).
  const inputs = new Set(model.inputColumns ?? Object.keys(row).filter((name) => name !== label));
  const record = Object.fromEntries(Object.entries(row).filter(([name]) => inputs.has(name)));
  byId('try-record').textContent = JSON.stringify(record);
  try {
    const [prediction] = await model.predict([record]);
    const shown = prediction!.probabilities
      ? Object.entries(prediction!.probabilities)
          .map(([name, p]) => `${name} ${p.toFixed(4)}`)
          .join(', ')
      : (prediction!.value?.toFixed(4) ?? '');
    output.textContent = `→ ${prediction!.label} (${shown}); actual: ${String(row[label])}`;
    output.dataset.label = String(prediction!.label);
    output.dataset.prediction = JSON.stringify(prediction);
  } catch (error) {
    output.textContent = `Prediction failed: ${errorText(error)}`;
  }
}

/** Shows a finished run: test accuracy, "try a row" with the trained model, and the downloads. */
export async function showResult(result: TrainResult, preview: DataPreview, label: string): Promise<void> {
  hideResult();
  const model = await loadModel(result.model, { wasmPaths: ortFiles('wasm') });
  current = { model, urls: [downloadUrl('download-model', result.model), downloadUrl('download-checkpoint', result.checkpoint)] };
  const accuracy = result.testMetrics.accuracy;
  const shown = byId('train-test-accuracy');
  shown.textContent =
    accuracy !== undefined
      ? `${(accuracy * 100).toFixed(2)} %`
      : Object.entries(result.testMetrics)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join(', ');
  shown.dataset.metrics = JSON.stringify(result.testMetrics);
  byId('try-predict').onclick = () => void predictRow(model, preview, label);
  byId('train-result').hidden = false;
  await predictRow(model, preview, label);
}
