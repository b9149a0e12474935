import type { BatchOutput, InferenceModel } from '../model/inference-model.js';
import { spreadsheetSafe } from './spreadsheet-safe.js';

/** What predict writes: CSV with a header line, or JSON Lines (one object per row). */
export const OUTPUT_FORMATS = ['csv', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * A decimal that reads back as exactly the same float32: 8 significant digits when they suffice (they
 * do for most values, and trailing zeros go: 1, 0.5), else 9, which always do. Non-finite values:
 * `NaN`, `Infinity`, `-Infinity`.
 */
export function formatFloat32(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const short = Number(x.toPrecision(8));
  return String(Math.fround(short) === x ? short : Number(x.toPrecision(9)));
}

/** A CSV field, quoted when it holds a delimiter, a quote, a line break or edge spaces. */
export function csvField(text: string): string {
  return /[",;\t\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The output columns: `label` and `p_<class>` for classifiers; `prediction` (or `prediction_<k>`) for regression. */
export function outputColumns(m: InferenceModel): string[] {
  if (m.task !== 'regression') return ['label', ...m.classNames.map((name) => `p_${name}`)];
  return m.outputWidth === 1 ? ['prediction'] : Array.from({ length: m.outputWidth }, (_, k) => `prediction_${k}`);
}

/** Formats batches of model outputs as text, one line per row. */
export class OutputFormatter {
  private readonly classTexts: string[];
  private readonly keys: string[];
  private readonly csvCell: (text: string) => string;

  /** `rawCsv`: CSV cells exactly as the class names are, without the spreadsheet-formula escaping. */
  constructor(
    private readonly m: InferenceModel,
    readonly format: OutputFormat,
    options: { readonly rawCsv?: boolean } = {},
  ) {
    const columns = outputColumns(m);
    this.csvCell = options.rawCsv ? csvField : (text) => csvField(spreadsheetSafe(text));
    if (format === 'csv') {
      this.classTexts = m.classNames.map(this.csvCell);
      this.keys = [];
    } else {
      this.classTexts = m.classNames.map((name) => JSON.stringify(name));
      // Each value's key with its separator: `{"label":` then `,"p_a":`...
      this.keys = columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c)}:`);
    }
  }

  /** The text before the first row: CSV's header line; nothing for JSON Lines. */
  header(): string {
    return this.format === 'csv' ? `${outputColumns(this.m).map(this.csvCell).join(',')}\n` : '';
  }

  /** The lines of one batch. */
  rows(out: BatchOutput): string {
    const { format, keys, classTexts } = this;
    const width = this.m.outputWidth;
    const json = format === 'jsonl';
    const number = json ? (x: number) => (Number.isFinite(x) ? formatFloat32(x) : 'null') : formatFloat32;
    const parts: string[] = [];
    for (let r = 0; r < out.rows; r++) {
      let line = '';
      let k = 0;
      if (out.labels) {
        const text = classTexts[out.labels[r]!] ?? String(out.labels[r]);
        line = json ? `${keys[k++]}${text}` : text;
      }
      for (let c = 0; c < width; c++) {
        const v = number(out.values[r * width + c]!);
        line += `${json ? keys[k++] : c === 0 && !out.labels ? '' : ','}${v}`;
      }
      parts.push(json ? `${line}}` : line);
    }
    return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
  }
}
