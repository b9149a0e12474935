import { loadModel } from '@onnx-mlp/web';
import { byId, clearMessage, errorText, showMessage } from './dom.js';
import { renderModelInfo } from './model-info-view.js';
import { ortFiles } from './ort-files.js';

/** The model viewer: any dropped or chosen .onnx file, shown as `onnx-mlp inspect` shows it. */
export function setUpModelViewer(): void {
  const message = byId('viewer-message');
  const infoView = byId('viewer-info');
  const drop = byId('viewer-drop');

  const show = async (file: File): Promise<void> => {
    clearMessage(message);
    infoView.replaceChildren();
    try {
      const model = await loadModel(file, { wasmPaths: ortFiles('wasm') });
      renderModelInfo(infoView, model.info, file.name);
      infoView.dataset.file = file.name;
      await model.dispose();
    } catch (error) {
      showMessage(message, `${file.name}: ${errorText(error)}`);
    }
  };
  byId<HTMLInputElement>('viewer-file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void show(file);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void show(file);
  });
}
