import { byId, el } from './dom.js';
import { identifierColumns, previewData, type DataPreview } from './data-preview.js';

/** The picked data file: the bytes training reads and the records the page shows. */
export interface PickedData {
  readonly file: File;
  readonly preview: DataPreview;
}

/** What the form asks training for (names as in `onnx-mlp train --config`). */
export interface FormOptions {
  readonly label: string;
  readonly exclude: string[];
  readonly hidden: number[];
  readonly epochs: number;
  readonly seed: number;
  readonly backend: 'wasm' | 'webgpu';
}

/** Reads a picked file and fills the label choice and the input checkboxes from its header. */
export async function pickData(file: File): Promise<PickedData> {
  const preview = previewData(await file.text(), file.name);
  if (preview.columns.length < 2)
    throw new Error(`${file.name}: found ${preview.columns.length} column(s); training needs a label and at least one input`);
  const labelSelect = byId<HTMLSelectElement>('train-label');
  labelSelect.replaceChildren(...preview.columns.map((name) => el('option', name, { value: name })));
  labelSelect.value = preview.columns[preview.columns.length - 1]!; // the label is usually last
  const ids = new Set(identifierColumns(preview));
  const boxes = byId('train-columns');
  boxes.replaceChildren(el('legend', 'Inputs'));
  for (const name of preview.columns) {
    const box = el('input', undefined, { type: 'checkbox', value: name });
    box.checked = !ids.has(name);
    const label = el('label', undefined, { class: 'column' });
    label.append(box, ` ${name}`);
    boxes.append(label);
  }
  const syncLabel = (): void => {
    for (const box of boxes.querySelectorAll<HTMLInputElement>('input')) box.disabled = box.value === labelSelect.value;
  };
  labelSelect.onchange = syncLabel;
  syncLabel();
  byId('train-options').hidden = false;
  byId('train-source').textContent = `${file.name}: ${preview.records.length} rows, ${preview.columns.length} columns`;
  return { file, preview };
}

function positiveInteger(id: string, what: string): number {
  const value = Number(byId<HTMLInputElement>(id).value);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a whole number of at least 1`);
  return value;
}

/** The options the form holds, checked; throws with a message naming the field that is wrong. */
export function readFormOptions(): FormOptions {
  const hiddenText = byId<HTMLInputElement>('train-hidden').value.trim();
  const hidden = hiddenText === '' ? [] : hiddenText.split(/[\s,]+/).map(Number);
  if (hidden.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`Hidden: "${hiddenText}" is not a list of layer widths like 32,16`);
  const seed = Number(byId<HTMLInputElement>('train-seed').value);
  if (!Number.isInteger(seed)) throw new Error('Seed must be a whole number');
  const label = byId<HTMLSelectElement>('train-label').value;
  const exclude = [...byId('train-columns').querySelectorAll<HTMLInputElement>('input')]
    .filter((box) => !box.checked && box.value !== label)
    .map((box) => box.value);
  const backend = byId<HTMLSelectElement>('train-backend').value === 'webgpu' ? 'webgpu' : 'wasm';
  return { label, exclude, hidden, epochs: positiveInteger('train-epochs', 'Epochs'), seed, backend };
}
