import { shortNumber } from '../preprocess/summary.js';

/** A Markdown table cell: one line, pipes escaped. */
export function cell(value: unknown): string {
  return scalarText(value).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A Markdown table of `rows` under `head`. */
export function markdownTable(head: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** A number, string, boolean or null as text; anything else as compact JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'number') return shortNumber(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isScalar(v: unknown): boolean {
  return v === null || ['number', 'string', 'boolean'].includes(typeof v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Records whose values are all scalars (or short scalar lists): rows of one table. */
function isFlatRecordList(v: unknown): v is Record<string, unknown>[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((r) => isRecord(r) && Object.values(r).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar))))
  );
}

/**
 * Any JSON value as Markdown, for metadata the card does not know (privacy, fairness, importance
 * entries written by later versions): scalars inline, lists of flat records as tables, records as
 * nested bullet lists.
 */
export function jsonMarkdown(value: unknown, indent = ''): string[] {
  if (isScalar(value)) return [`${indent}${scalarText(value)}`];
  if (isFlatRecordList(value)) {
    const head = [...new Set(value.flatMap((r) => Object.keys(r)))];
    return markdownTable(
      head,
      value.map((r) => head.map((k) => (Array.isArray(r[k]) ? (r[k] as unknown[]).map(scalarText).join(', ') : r[k]))),
    ).map((l) => indent + l);
  }
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return [`${indent}${value.map(scalarText).join(', ')}`];
    return value.flatMap((v, i) => [`${indent}- item ${i + 1}:`, ...jsonMarkdown(v, `${indent}  `)]);
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    if (isScalar(v) || (Array.isArray(v) && v.every(isScalar))) return [`${indent}- **${k}**: ${jsonMarkdown(v)[0]}`];
    const nested = jsonMarkdown(v, `${indent}  `);
    // A table needs a blank line before it to render.
    return isFlatRecordList(v) ? [`${indent}- **${k}**:`, '', ...nested, ''] : [`${indent}- **${k}**:`, ...nested];
  });
}
