import { loadModel, type Model } from '@onnx-mlp/web';
import { byId, clearMessage, errorText, showMessage } from './dom.js';
import { attachDigitPad } from './digit-pad.js';
import { inkOfCanvas, mnistPixels, paintPixels } from './mnist-image.js';
import { ortFiles } from './ort-files.js';
import { renderProbabilityBars } from './probability-bars.js';
import { HEAT_MAP_STEPS, paintHeatMap } from './heat-map.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The digit pad: loads the shipped MNIST model and classifies the drawing as it changes. */
export function setUpDigitPanel(modelUrl: string): void {
  const message = byId('digit-message');
  const output = byId('digit-prediction');
  const bars = byId('digit-bars');
  const preview = byId<HTMLCanvasElement>('pad-input');
  const pad = byId<HTMLCanvasElement>('pad');
  const heatMap = byId<HTMLCanvasElement>('pad-heatmap');
  renderProbabilityBars(bars, DIGITS, null);
  const model: Promise<Model | null> = loadModel(modelUrl, { wasmPaths: ortFiles('wasm') }).catch((error: unknown) => {
    showMessage(message, `Could not load the digit model: ${errorText(error)}`);
    return null;
  });
  let running = false;
  let again = false;

  const classify = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    } // one predict at a time; the latest drawing wins
    running = true;
    try {
      do {
        again = false;
        const pixels = mnistPixels(inkOfCanvas(pad));
        paintPixels(preview, pixels);
        const ready = await model;
        if (!ready) return;
        if (!pixels) {
          output.textContent = '—';
          delete output.dataset.label;
          renderProbabilityBars(bars, DIGITS, null);
          paintHeatMap(heatMap, null, null);
          continue;
        }
        const result = await ready.predictArrays(pixels, 1);
        const probabilities = Object.fromEntries(DIGITS.map((d, i) => [d, result.probabilities?.[i] ?? 0]));
        output.textContent = String(result.labels[0]);
        output.dataset.label = String(result.labels[0]);
        renderProbabilityBars(bars, DIGITS, probabilities);
        // Why: integrated gradients from a blank pad, by the explain graph on the same runtime.
        paintHeatMap(heatMap, pixels, await ready.explainArrays(pixels, 1, { steps: HEAT_MAP_STEPS }));
        clearMessage(message);
      } while (again);
    } catch (error) {
      showMessage(message, `Prediction failed: ${errorText(error)}`);
    } finally {
      running = false;
    }
  };
  const clear = attachDigitPad(pad, () => void classify());
  byId('pad-clear').addEventListener('click', clear);
}
