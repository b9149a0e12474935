import { el } from './dom.js';

/** One epoch as training reports it. */
export interface EpochRow {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly seconds: number;
}

const cell = (value: number | undefined, digits: number): HTMLTableCellElement =>
  el('td', value === undefined ? '' : value.toFixed(digits));

/** Appends one epoch to the table body. */
export function appendEpochRow(body: HTMLTableSectionElement, row: EpochRow): void {
  const tr = el('tr', undefined, { 'data-epoch': String(row.epoch) });
  tr.append(
    el('td', String(row.epoch)),
    cell(row.loss, 4),
    cell(row.accuracy, 4),
    cell(row.valLoss, 4),
    cell(row.valAccuracy, 4),
    cell(row.seconds, 2),
  );
  body.append(tr);
  const box = body.closest('.epochs'); // keep the newest epoch in view without scrolling the page
  if (box) box.scrollTop = box.scrollHeight;
}
