import { csvField, formatFloat32, type OutputFormat } from '../predict/output.js';
import { spreadsheetSafe } from '../predict/spreadsheet-safe.js';
import type { ExplainOutput } from './explain-session.js';

/** What the formatter writes about each row besides the attributions. */
export interface ExplainColumns {
  /** The raw columns, in attribution order. */
  readonly columns: readonly string[];
  /** Class names (classifiers), or null (regression: no class column). */
  readonly classNames: readonly string[] | null;
}

/** The fixed columns of explain's CSV before one column per raw column. */
export function fixedColumns(classifier: boolean): string[] {
  return [...(classifier ? ['explained_class'] : []), 'output', 'baseline_output', 'missing_columns'];
}

/**
 * Formats explanations as CSV (the fixed columns, then each raw column's attribution under its
 * name) or JSON Lines ({class, output, baseline_output, attributions: {column: value}, missing}).
 * A cell that was missing in the input gets attribution 0 and is listed under missing_columns.
 */
export class ExplainFormatter {
  private readonly csvCell: (text: string) => string;
  private readonly names: string[];

  constructor(
    private readonly c: ExplainColumns,
    readonly format: OutputFormat,
    options: { readonly rawCsv?: boolean } = {},
  ) {
    this.csvCell = options.rawCsv ? csvField : (text) => csvField(spreadsheetSafe(text));
    this.names = c.columns.map((n) => (format === 'csv' ? this.csvCell(n) : JSON.stringify(n)));
  }

  /** CSV's header line; nothing for JSON Lines. */
  header(): string {
    if (this.format !== 'csv') return '';
    return `${[...fixedColumns(this.c.classNames !== null).map(this.csvCell), ...this.names].join(',')}\n`;
  }

  /** The lines of one chunk; `input` holds its raw rows (NaN = missing). */
  rows(out: ExplainOutput, input: Float32Array): string {
    const width = this.c.columns.length;
    const lines: string[] = [];
    for (let r = 0; r < out.rows; r++) {
      const missing = this.c.columns.filter((_, j) => Number.isNaN(input[r * width + j]!));
      const values = Array.from(out.attributions.subarray(r * width, (r + 1) * width), (v) => formatFloat32(v));
      const className = out.classes ? (this.c.classNames?.[out.classes[r]!] ?? String(out.classes[r])) : undefined;
      lines.push(
        this.format === 'csv'
          ? this.csvLine(out, r, { className, missing, values })
          : this.jsonLine(out, r, { className, missing, values }),
      );
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  private csvLine(out: ExplainOutput, r: number, row: RowText): string {
    const head = row.className === undefined ? [] : [this.csvCell(row.className)];
    const fixed = [...head, formatFloat32(out.output[r]!), formatFloat32(out.baselineOutput[r]!), this.csvCell(row.missing.join(';'))];
    return [...fixed, ...row.values].join(',');
  }

  private jsonLine(out: ExplainOutput, r: number, row: RowText): string {
    const json = (x: number) => (Number.isFinite(x) ? formatFloat32(x) : 'null');
    const attributions = row.values.map((v, j) => `${this.names[j]}:${v === 'NaN' ? 'null' : v}`).join(',');
    const cls = row.className === undefined ? '' : `"class":${JSON.stringify(row.className)},`;
    return `{${cls}"output":${json(out.output[r]!)},"baseline_output":${json(out.baselineOutput[r]!)},"attributions":{${attributions}},"missing":${JSON.stringify(row.missing)}}`;
  }
}

interface RowText {
  readonly className: string | undefined;
  readonly missing: readonly string[];
  readonly values: readonly string[];
}
