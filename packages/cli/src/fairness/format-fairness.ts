import { groupName, type ClassificationGroup, type ClassRates, type Disparity, type RegressionGroup } from '@onnx-mlp/core/metrics';
import { quoted } from '@onnx-mlp/core/tabular';
import { alignColumns } from '../evaluate/format-text.js';
import type { FairnessReport } from './fairness-report.js';

type ClassificationReport = Extract<FairnessReport, { kind: 'classification' }>;
type RegressionReport = Extract<FairnessReport, { kind: 'regression' }>;

const fixed = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
const RATE_NAMES: Readonly<Record<string, string>> = { truePositiveRate: 'tpr', falsePositiveRate: 'fpr' };
const ALL = '(all rows)';

/** A group's name as a table label: printable, on one line. */
function label(g: { values: readonly (string | null)[] }): string {
  if (g.values.length === 0) return ALL;
  const name = groupName(g.values).replace(/[\r\n\t]/g, ' ');
  return name === '' ? '""' : name;
}

function rateCells(c: ClassRates): string[] {
  return [fixed(c.selectionRate), fixed(c.truePositiveRate), fixed(c.falsePositiveRate)];
}

/** The disparity lines of one class, then why a figure is n/a. */
function disparityLines(d: Disparity): string[] {
  const lines = alignColumns([
    ['demographic parity', `difference ${fixed(d.demographicParityDifference)}`, `ratio ${fixed(d.demographicParityRatio)}`],
    ['equalized odds', `difference ${fixed(d.equalizedOddsDifference)}`, `ratio ${fixed(d.equalizedOddsRatio)}`],
    ['  tpr', `difference ${fixed(d.truePositiveRateDifference)}`, `ratio ${fixed(d.truePositiveRateRatio)}`],
    ['  fpr', `difference ${fixed(d.falsePositiveRateDifference)}`, `ratio ${fixed(d.falsePositiveRateRatio)}`],
  ]);
  const named: Record<string, string> = { ...RATE_NAMES, demographicParity: 'demographic parity' };
  return [...lines, ...Object.entries(d.reasons).map(([field, why]) => `note: ${named[field] ?? field}: ${why}`)];
}

/** `n/a:` lines: which group lacks which rate, and why. */
function missingRates(groups: readonly ClassificationGroup[], k: number): string[] {
  return groups.flatMap((g) =>
    Object.entries(g.classes[k]!.reasons).map(([field, why]) => `n/a: ${JSON.stringify(label(g))} ${RATE_NAMES[field] ?? field}: ${why}`),
  );
}

function classificationLines(r: ClassificationReport): string[] {
  const rows = [r.overall, ...r.groups];
  const binary = r.disparities.length === 1 && r.overall.classes.length === 1 && r.groups.every((g) => g.classes.length === 1);
  const head = ['group', 'size', 'accuracy'];
  if (binary) {
    const lines = alignColumns([
      [...head, 'selection rate', 'tpr', 'fpr'],
      ...rows.map((g) => [label(g), String(g.size), fixed(g.accuracy), ...rateCells(g.classes[0]!)]),
    ]);
    return [
      `positive class ${JSON.stringify(r.disparities[0]!.class)}`,
      ...lines,
      ...missingRates(r.groups, 0),
      ...disparityLines(r.disparities[0]!),
    ];
  }
  const lines = alignColumns([head, ...rows.map((g) => [label(g), String(g.size), fixed(g.accuracy)])]);
  r.disparities.forEach((d, k) => {
    lines.push('', `class ${JSON.stringify(d.class)} (one-vs-rest)`);
    lines.push(...alignColumns([['group', 'selection rate', 'tpr', 'fpr'], ...rows.map((g) => [label(g), ...rateCells(g.classes[k]!)])]));
    lines.push(...missingRates(r.groups, k), ...disparityLines(d));
  });
  return lines;
}

function regressionLines(r: RegressionReport): string[] {
  const means = (v: readonly number[]) => v.map((x) => x.toPrecision(6)).join(', ');
  const row = (g: RegressionGroup) => [label(g), String(g.size), g.mae.toPrecision(6), means(g.meanPrediction), means(g.meanTarget)];
  return [
    ...alignColumns([['group', 'size', 'mae', 'mean prediction', 'mean target'], ...[r.overall, ...r.groups].map(row)]),
    `mae difference ${r.maeDifference.toPrecision(6)}; mean prediction difference ${means(r.meanPredictionDifference)} (max - min over groups)`,
  ];
}

/** The per-group table train and evaluate print: a heading, the groups and the disparities between them. */
export function formatFairness(r: FairnessReport): string[] {
  const heading = `per-group metrics by ${quoted(r.columns)} on ${r.data} (${r.overall.size} rows, ${r.groups.length} groups)`;
  return [heading, ...(r.kind === 'classification' ? classificationLines(r) : regressionLines(r))];
}
