import type { ClassScores } from '@onnx-mlp/core/metrics';
import { formatFairness } from '../fairness/format-fairness.js';
import type { EvaluationReport } from './evaluate.js';

const fixed = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Lays out rows of cells: the first column left-aligned, the others right-aligned, two spaces apart. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** Class names as table labels: printable, on one line. */
function label(name: string): string {
  const clean = name.replace(/[\r\n\t]/g, ' ');
  return clean === '' ? '""' : clean;
}

/** `key  value` lines, the values aligned. */
function keyValues(pairs: readonly (readonly string[])[]): string[] {
  const width = Math.max(...pairs.map(([k]) => k!.length));
  return pairs.map(([k, v]) => `${k!.padEnd(width)}  ${v}`);
}

function scoreRow(name: string, s: ClassScores): string[] {
  return [name, fixed(s.precision), fixed(s.recall), fixed(s.f1), String(s.support)];
}

/** --sensitive: a blank line, the per-group table and a `warning:` line per disparity above the threshold. */
function fairnessLines(r: EvaluationReport): string[] {
  if (!r.fairness) return [];
  return ['', ...formatFairness(r.fairness), ...r.fairness.warnings.map((w) => `warning: ${w}`)];
}

/** The text `onnx-mlp evaluate` prints. */
export function formatEvaluation(r: EvaluationReport): string {
  const lines: string[] = [];
  const labelText = r.label.map((n) => JSON.stringify(n)).join(', ');
  const head: string[][] = [
    ['model', `${r.model} (${r.task}${r.classes ? `, ${r.classes.length} classes` : ''})`],
    ['data', `${r.data}: ${r.rows} rows, label column${r.label.length > 1 ? 's' : ''} ${labelText}`],
  ];
  if (r.accuracy === undefined) {
    head.push(['mse', fixed(r.mse!, 6)], ['mae', fixed(r.mae!, 6)], ['r2', fixed(r.r2!, 6)]);
    return `${[...keyValues(head), ...fairnessLines(r)].join('\n')}\n`;
  }
  head.push(['accuracy', `${fixed(r.accuracy)} (${r.correct} of ${r.rows})`]);
  if (r.rocAuc !== undefined) {
    head.push([
      'roc-auc',
      r.rocAuc === null
        ? `n/a (only one class occurs in the labels)`
        : `${fixed(r.rocAuc)} (positive class ${JSON.stringify(r.positiveClass)}, scored by its probability)`,
    ]);
  }
  lines.push(...keyValues(head));
  lines.push('');

  const names = r.classes!.map(label);
  lines.push(
    ...alignColumns([
      ['class', 'precision', 'recall', 'f1-score', 'support'],
      ...r.perClass!.map((s, c) => scoreRow(names[c]!, s)),
      ['', '', '', '', ''],
      scoreRow('macro avg', r.macro!),
      scoreRow('weighted avg', r.weighted!),
    ]),
  );
  lines.push('');

  lines.push('confusion matrix (rows: true class, columns: predicted class)');
  lines.push(...alignColumns([['true \\ predicted', ...names], ...r.confusion!.map((row, c) => [names[c]!, ...row.map(String)])]));
  lines.push(...fairnessLines(r));
  return `${lines.join('\n')}\n`;
}
