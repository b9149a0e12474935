import type { ColumnImportance } from '@onnx-mlp/core/explain';

/** How many columns the printed summary lists (the rest are counted). */
const SHOWN = 20;

/** The global summary as text: columns by mean |attribution|, largest first. */
export function importanceText(importance: ColumnImportance): string {
  const sorted = [...importance.columns].sort((a, b) => b.meanAbs - a.meanAbs);
  const width = Math.min(40, Math.max(...sorted.map((c) => c.name.length)));
  const steps = importance.method === 'gradient' ? '' : `, ${importance.steps} steps`;
  const lines = sorted.slice(0, SHOWN).map((c) => `  ${c.name.padEnd(width)}  ${c.meanAbs.toPrecision(4)}`);
  if (sorted.length > SHOWN) lines.push(`  … ${sorted.length - SHOWN} more columns`);
  return `mean |attribution| per column over ${importance.count} rows (${importance.method}${steps}, ${importance.baseline} baseline):\n${lines.join('\n')}\n`;
}
