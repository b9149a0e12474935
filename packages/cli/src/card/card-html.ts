import { cardMarkdown, type CardMarkdownOptions, type CardView } from '@onnx-mlp/core/artifacts';
import { escapeHtml, heatMap, lineChart, type Series } from '../report/svg-chart.js';
import { markdownToHtml } from './markdown-html.js';

/** The training curves the --report draws, from the card's per-epoch history. */
function curves(v: CardView): string {
  const h = v.card?.history ?? [];
  if (h.length === 0) return '';
  const series = (name: string, pick: (e: (typeof h)[number]) => number | undefined, color: string): Series[] =>
    h.every((e) => pick(e) !== undefined) ? [{ name, values: h.map((e) => pick(e)!), color }] : [];
  const loss = [...series('loss', (e) => e.loss, '#1f77b4'), ...series('val_loss', (e) => e.valLoss, '#ff7f0e')];
  const accuracy = [...series('accuracy', (e) => e.accuracy, '#1f77b4'), ...series('val_accuracy', (e) => e.valAccuracy, '#ff7f0e')];
  return `<div class="charts">${lineChart('loss-chart', 'loss per epoch', loss)}${
    accuracy.length ? lineChart('accuracy-chart', 'accuracy per epoch', accuracy) : ''
  }</div>`;
}

/** The test split's confusion matrix as the --report's heat map. */
function confusion(v: CardView): string {
  const test = v.card?.metrics.test;
  if (!test || !('confusion' in test)) return '';
  return `<h3>Confusion matrix (test split, ${test.rows} rows)</h3>${heatMap(
    'confusion',
    test.confusion,
    test.perClass.map((s) => s.class),
  )}`;
}

/** Numbers by name found in a value: a flat record of numbers, or records with one name and one number field. */
function namedNumbers(value: unknown): [string, number][] | null {
  if (typeof value !== 'object' || value === null) return null;
  if (!Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, x]) => typeof x === 'number')) return entries as [string, number][];
    for (const inner of Object.values(value)) {
      const found = namedNumbers(inner);
      if (found) return found;
    }
    return null;
  }
  const pairs = value.map((r) => {
    if (typeof r !== 'object' || r === null) return null;
    const name = Object.values(r).find((x) => typeof x === 'string');
    const num = Object.values(r).find((x) => typeof x === 'number');
    return typeof name === 'string' && typeof num === 'number' ? ([name, num] as [string, number]) : null;
  });
  return pairs.length > 0 && pairs.every((p) => p !== null) ? (pairs as [string, number][]) : null;
}

/** Horizontal bars of named numbers (global importances), largest first. */
function bars(id: string, pairs: readonly [string, number][]): string {
  const sorted = [...pairs].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 30);
  const max = Math.max(...sorted.map(([, x]) => Math.abs(x)), 1e-12);
  const rowH = 20;
  const rows = sorted.map(
    ([name, x], i) =>
      `<text x="150" y="${i * rowH + 14}" text-anchor="end">${escapeHtml(name)}</text>` +
      `<rect x="156" y="${i * rowH + 4}" height="12" width="${((Math.abs(x) / max) * 300).toFixed(1)}" fill="#1f77b4"/>` +
      `<text x="${(160 + (Math.abs(x) / max) * 300).toFixed(1)}" y="${i * rowH + 14}">${x.toPrecision(4)}</text>`,
  );
  return `<svg id="${escapeHtml(id)}" class="bars" width="520" height="${sorted.length * rowH + 8}" role="img">${rows.join('')}</svg>`;
}

/** Charts for an extra metadata entry whose name says importance. */
function extraChart(v: CardView, heading: string): string {
  const extra = v.extras.find((e) => heading.startsWith(`${e.key} `));
  if (!extra || !/importance|attribution/i.test(extra.key)) return '';
  const pairs = namedNumbers(extra.value);
  return pairs ? bars(`${extra.key}-chart`, pairs) : '';
}

/**
 * The model card as one self-contained HTML page (inline CSS and SVG, no script, no network): the
 * Markdown card's sections, with the --report's curves and confusion heat map under Metrics and
 * bars for global importances.
 */
export function cardHtml(v: CardView, o: { title: string; check?: CardMarkdownOptions['check'] }): string {
  const { title } = o;
  const body = markdownToHtml(cardMarkdown(v, o.check ? { check: o.check } : {}), (heading) => {
    if (heading === 'Metrics') return curves(v) + confusion(v);
    return extraChart(v, heading);
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; } h3 { font-size: 15px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg text { font-size: 11px; fill: #333; } svg .title { font-weight: 600; font-size: 12px; } svg .grid { stroke: #e5e5e5; }
table { border-collapse: collapse; margin: 8px 0; } th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #eee; vertical-align: top; }
td { font-family: ui-monospace, monospace; word-break: break-all; max-width: 640px; }
code { background: #f4f4f4; padding: 0 3px; word-break: break-all; }
</style></head><body>
${body}
</body></html>
`;
}
