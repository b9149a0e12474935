import type { ModelInfo } from '@onnx-mlp/web';
import { el } from './dom.js';

type Cell = string | number | boolean | null | undefined;
type ColumnSchema = NonNullable<NonNullable<ModelInfo['onnxMlp']>['preprocessing']>['columns'][number];

function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): HTMLTableElement {
  const t = el('table');
  const head = el('tr');
  for (const h of headers) head.append(el('th', h));
  t.createTHead().append(head);
  const body = t.createTBody();
  for (const row of rows) {
    const tr = el('tr');
    for (const value of row) tr.append(el('td', value === null || value === undefined ? '' : String(value)));
    body.append(tr);
  }
  return t;
}

function section(title: string, ...content: (Node | string)[]): HTMLElement {
  const s = el('section', undefined, { class: 'info-section', 'data-section': title.toLowerCase() });
  s.append(el('h3', title), ...content);
  return s;
}

const shown = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
const number = (value: number): string => (Number.isInteger(value) ? String(value) : value.toPrecision(5));

function columnRow(c: ColumnSchema): Cell[] {
  if (c.kind === 'categorical') {
    const vocabulary =
      c.vocabulary.length > 8 ? `${c.vocabulary.slice(0, 8).join(', ')}, … (${c.vocabulary.length})` : c.vocabulary.join(', ');
    return [c.name, c.kind, `one-hot: ${vocabulary}`, `missing → ${c.vocabulary[c.missingIndex]}`];
  }
  const scaling = c.scaling === 'none' ? 'none' : `${c.scaling}: (x − ${number(c.center)}) / ${number(c.scale)}`;
  return [c.name, c.kind, scaling, `missing → ${number(c.impute)} (${c.imputeStrategy})`];
}

/**
 * Renders a model's `info` (what `onnx-mlp inspect` shows): the file's facts, inputs and outputs,
 * then for onnx-mlp models the layers, classes, preprocessing and training facts; the whole object
 * as JSON below.
 */
export function renderModelInfo(target: HTMLElement, info: ModelInfo, fileName: string): void {
  const mlp = info.onnxMlp;
  const parts: HTMLElement[] = [
    section(
      fileName,
      table(
        ['', ''],
        [
          [
            'made by',
            mlp ? `onnx-mlp (${info.producer})` : `${info.producer || 'unknown'}: not an onnx-mlp model, so predict() needs arrays`,
          ],
          ['task', mlp?.task ?? '—'],
          ['parameters', mlp?.parameters ?? '—'],
          ['bytes', info.bytes],
          ['ONNX IR / opset', `${info.irVersion} / ${info.opset ?? '—'}`],
          ['nodes', info.nodes],
        ],
      ),
    ),
  ];
  const io = [
    ...info.inputs.map((v) => ['input', v.name, v.dtype, `[${v.shape.join(', ')}]`]),
    ...info.outputs.map((v) => ['output', v.name, v.dtype, `[${v.shape.join(', ')}]`]),
  ];
  parts.push(section('Inputs and outputs', table(['', 'name', 'type', 'shape'], io)));
  if (mlp) {
    parts.push(
      section(
        'Layers',
        table(
          ['layer', 'inputs', 'outputs', 'activation', 'parameters'],
          mlp.layers.map((l) => [l.name, l.inputs, l.outputs, l.activation, l.parameters]),
        ),
      ),
    );
    if (mlp.classNames) parts.push(section('Classes', mlp.classNames.join(', ')));
    if (mlp.preprocessing)
      parts.push(
        section('Preprocessing', table(['column', 'kind', 'encoding', 'missing values'], mlp.preprocessing.columns.map(columnRow))),
      );
    parts.push(
      section(
        'Training',
        table(
          ['', ''],
          Object.entries(mlp.training).map(([k, v]) => [k, shown(v)]),
        ),
      ),
    );
  }
  const raw = el('details');
  raw.append(el('summary', 'Everything, as JSON'), el('pre', JSON.stringify(info, null, 2)));
  target.replaceChildren(...parts, raw);
}
