import type { Table } from '../data/table.js';
import { isMissing } from '../preprocess/tokens.js';

/** Whether any of a row's label cells is missing: such a row has nothing to learn from. */
export function missingLabel(cells: readonly unknown[]): boolean {
  return cells.some((c) => isMissing(c));
}

/**
 * `table` without its rows that miss a label in one of `labels` (the rows kept keep their line
 * numbers, so later errors still name the file's lines), and how many were left out.
 */
export function withoutUnlabelled(table: Table, labels: readonly string[]): { table: Table; dropped: number } {
  const labelCells = labels.map((n) => table.columns.find((c) => c.name === n)!.cells);
  const keep: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (!missingLabel(labelCells.map((cells) => cells[r]))) keep.push(r);
  if (keep.length === table.rowCount) return { table, dropped: 0 };
  const columns = table.columns.map((c) => ({ ...c, cells: keep.map((r) => c.cells[r]!) }));
  const lines = table.lines ? { lines: keep.map((r) => table.lines![r]!) } : {};
  return { table: { ...table, columns, rowCount: keep.length, ...lines }, dropped: table.rowCount - keep.length };
}
