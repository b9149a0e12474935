import { DataFormatError } from '@onnx-mlp/core';
import { AbsoluteSums } from '@onnx-mlp/core/explain';
import type { TextFormat } from '../data/readers/index.js';
import { rowBatches, rowGroups } from '../model/data-source.js';
import { featureEncoder } from '../model/features.js';
import type { Sink } from '../predict/sink.js';
import { ExplainFormatter } from './explain-output.js';
import { type ExplainSession, runExplain } from './explain-session.js';

/** Points on the path per run of the explain model (rows × steps): bounds its memory. */
const POINTS_PER_RUN = 16_384;

/** What to explain. */
export interface ExplainRowsOptions {
  /** A data file, or `-` for standard input. */
  readonly data: string;
  readonly format?: TextFormat;
  /** A column to leave out (a model without preprocessing takes every other column). */
  readonly label?: string;
  readonly outputFormat: 'csv' | 'jsonl';
  readonly rawCsv: boolean;
}

/** What an explain run did: rows written and the |attribution| sums of the global summary. */
export interface ExplainSummary {
  readonly rows: number;
  readonly complete: boolean;
  readonly sums: AbsoluteSums;
  /** The attributions' column names (the file's for a model without preprocessing). */
  readonly columns: readonly string[];
}

function excludedColumns(s: ExplainSession, columns: readonly string[], label: string | undefined): string[] {
  if (label !== undefined) return [label];
  if (s.preprocessing || columns.length !== s.inputWidth + 1) return [];
  return [...s.labelColumns, 'label'].filter((c) => columns.includes(c)).slice(0, 1);
}

/**
 * Streams the rows of `options.data` through the explain model, a chunk at a time (as many rows as
 * keep rows × steps under POINTS_PER_RUN), writing each chunk's attributions to `sink` before
 * reading on, and summing |attribution| per column for the global summary.
 */
export async function explainRows(s: ExplainSession, options: ExplainRowsOptions, sink: Sink): Promise<ExplainSummary> {
  const file = options.data === '-' ? 'stdin' : options.data;
  const chunk = Math.max(1, Math.floor(POINTS_PER_RUN / s.facts.steps));
  const input = new Float32Array(chunk * s.inputWidth);
  const sums = new AbsoluteSums(s.inputWidth);
  let state: { encoder: ReturnType<typeof featureEncoder>; formatter: ExplainFormatter; columns: string[] } | undefined;
  let rows = 0;
  for await (const group of rowGroups(rowBatches(options.data, options.format, 'explain'), chunk)) {
    if (state === undefined) {
      const excluded = excludedColumns(s, group.columns, options.label);
      const columns = s.preprocessing ? [...s.facts.columns] : group.columns.filter((c) => !excluded.includes(c));
      const shape = { spec: { inputs: s.inputWidth }, ...(s.preprocessing ? { preprocessing: s.preprocessing } : {}) };
      const encoder = featureEncoder(shape, file, group.columns, { excluded });
      const formatter = new ExplainFormatter({ columns, classNames: s.facts.classNames }, options.outputFormat, { rawCsv: options.rawCsv });
      state = { encoder, formatter, columns };
      if (!(await sink.write(formatter.header()))) return { rows, complete: false, sums, columns };
    }
    const n = group.rows.length;
    for (let i = 0; i < n; i++) state.encoder.encode(group.rows[i]!, input, i * s.inputWidth);
    const out = await runExplain(s, input, n);
    sums.add(out.attributions, n);
    rows += n;
    if (!(await sink.write(state.formatter.rows(out, input)))) return { rows, complete: false, sums, columns: state.columns };
  }
  if (state === undefined) throw new DataFormatError({ file }, 'has no data rows');
  return { rows, complete: true, sums, columns: state.columns };
}
