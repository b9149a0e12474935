import type { EpochRecord } from '@onnx-mlp/core';
import { escapeHtml, heatMap, lineChart } from './svg-chart.js';

/** What a training report shows. */
export interface ReportInput {
  readonly title: string;
  readonly history: readonly EpochRecord[];
  /** Run settings, shown as a table (nested values as JSON). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Confusion matrix on the evaluation split, with class names, for classifiers. */
  readonly confusion?: { readonly matrix: readonly (readonly number[])[]; readonly classNames: readonly string[]; readonly split: string };
  /** Headline figures (test accuracy, ...). */
  readonly results?: Readonly<Record<string, string>>;
}

const present = (h: readonly EpochRecord[], f: (r: EpochRecord) => number | undefined) =>
  h.every((r) => f(r) !== undefined) ? h.map((r) => f(r)!) : undefined;

/**
 * One self-contained HTML file (inline CSS and SVG, no script, no network): loss and accuracy
 * curves per epoch for training and validation, the confusion matrix as a heat map, the settings.
 */
export function trainingReport(r: ReportInput): string {
  const curves = (name: string, train?: number[], val?: number[]) => [
    ...(train ? [{ name, values: train, color: '#1f77b4' }] : []),
    ...(val ? [{ name: `val_${name}`, values: val, color: '#ff7f0e' }] : []),
  ];
  const loss = curves(
    'loss',
    present(r.history, (h) => h.loss),
    present(r.history, (h) => h.valLoss),
  );
  const accuracy = curves(
    'accuracy',
    present(r.history, (h) => h.accuracy),
    present(r.history, (h) => h.valAccuracy),
  );
  const row = (k: string, v: unknown) =>
    `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg text { font-size: 11px; fill: #333; } svg .title { font-weight: 600; font-size: 12px; }
svg .grid { stroke: #e5e5e5; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #eee; vertical-align: top; }
td { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; max-width: 720px; }
</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
${
  r.results
    ? `<table id="results">${Object.entries(r.results)
        .map(([k, v]) => row(k, v))
        .join('')}</table>`
    : ''
}
<h2>Curves</h2>
<div class="charts">
${lineChart('loss-chart', 'loss per epoch', loss)}
${accuracy.length ? lineChart('accuracy-chart', 'accuracy per epoch', accuracy) : ''}
</div>
${r.confusion ? `<h2>Confusion matrix (${escapeHtml(r.confusion.split)})</h2>\n${heatMap('confusion', r.confusion.matrix, r.confusion.classNames)}` : ''}
<h2>Settings</h2>
<table id="settings">${Object.entries(r.settings)
    .map(([k, v]) => row(k, v))
    .join('')}</table>
<h2>History</h2>
<table id="history"><tr><th>epoch</th><th>loss</th><th>accuracy</th><th>val_loss</th><th>val_accuracy</th><th>seconds</th></tr>
${r.history.map((h) => `<tr><td>${h.epoch}</td><td>${h.loss.toFixed(4)}</td><td>${h.accuracy?.toFixed(4) ?? ''}</td><td>${h.valLoss?.toFixed(4) ?? ''}</td><td>${h.valAccuracy?.toFixed(4) ?? ''}</td><td>${h.seconds.toFixed(2)}</td></tr>`).join('\n')}
</table>
</body></html>
`;
}
