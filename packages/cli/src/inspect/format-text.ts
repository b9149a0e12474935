import type { EpochRecord } from '@onnx-mlp/core';
import { columnTreatment, type InspectReport, type TensorInfo } from '@onnx-mlp/core/inspect';

type Align = 'left' | 'right';

/** Rows of cells padded into columns two spaces apart (right-aligned where `align` says so). */
export function table(rows: readonly (readonly string[])[], align: readonly Align[] = [], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => {
          if (i === row.length - 1 && align[i] !== 'right') return cell;
          return align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
        })
        .join('  ')
        .trimEnd(),
  );
}

function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

function ioRows(values: readonly TensorInfo[]): string[][] {
  return values.map((v) => [v.name, v.dtype, shapeText(v.shape)]);
}

/** A metadata value on one line: objects as `key value, ...`, everything else as JSON would write it. */
function valueText(key: string, value: unknown): string {
  if (typeof value === 'number' && /accuracy$/i.test(key) && value >= 0 && value <= 1) {
    return `${value} (${(value * 100).toFixed(2)}%)`;
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  }
  return JSON.stringify(value) ?? String(value);
}

function epochText(r: EpochRecord): string {
  const parts = [`epoch ${r.epoch}`, `loss ${r.loss.toFixed(4)}`];
  if (r.accuracy !== undefined) parts.push(`acc ${r.accuracy.toFixed(4)}`);
  if (r.valLoss !== undefined) parts.push(`val_loss ${r.valLoss.toFixed(4)}`);
  if (r.valAccuracy !== undefined) parts.push(`val_acc ${r.valAccuracy.toFixed(4)}`);
  parts.push(`lr ${r.learningRate}`, `${r.seconds.toFixed(2)}s`);
  return parts.join('  ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The headline: what the file is. */
function headline(r: InspectReport): string {
  if (r.onnxMlp) {
    const arch = r.spec ? `: ${r.spec.task} MLP ${[r.spec.inputs, ...r.spec.hidden, r.spec.outputs].join('-')}` : '';
    return `onnx-mlp ${r.role}${arch}`;
  }
  const why = r.kind === null ? 'it has no onnx_mlp.kind metadata' : `its onnx_mlp.kind is ${JSON.stringify(r.kind)}`;
  return `not an onnx-mlp model (${why}); showing what the ONNX file records`;
}

/** One titled block of the listing; a section without lines is left out. */
interface Section {
  title: string;
  lines: string[];
}

function modelSection(r: InspectReport): Section {
  const general: string[][] = [
    ['ir version', String(r.irVersion)],
    ['opsets', r.opsets.map((o) => `${o.domain} ${o.version}`).join(', ') || '(none)'],
    ['producer', `${r.producer.name} ${r.producer.version}`.trim() || '(none)'],
    ['graph', r.graph.name || '(unnamed)'],
  ];
  if (r.docString) general.push(['doc', docLine(r.docString)]);
  if (r.card !== undefined) general.push(['card', r.card]);
  if (r.missingInput !== undefined) general.push(['missing cells', r.missingInput]);
  if (r.verification !== undefined) general.push(['verify', r.verification]);
  if (r.task) general.push(['task', r.task]);
  if (r.classNames) general.push(['classes', `${r.classNames.length}: ${r.classNames.join(', ')}`]);
  for (const [k, v] of Object.entries(r.metadata)) general.push([`metadata ${k}`, v]);
  return { title: 'model', lines: table(general) };
}

const WEIGHT_LAYOUT_WORDS = { in_out: '[in, out] (Gemm x W)', out_in: '[out, in] (Gemm transB=1)' } as const;
/** A doc_string on one line: a multi-line one (the model card) by its first line and its length. */
function docLine(doc: string): string {
  const lines = doc.trimEnd().split('\n');
  return lines.length === 1 ? doc : `${lines[0]} (${lines.length} lines; onnx-mlp card MODEL prints them)`;
}

/** The preprocessing's raw columns: kind, what a missing value becomes, scaling or vocabulary. */
function preprocessingSection(r: InspectReport): Section | undefined {
  if (!r.preprocessing) return undefined;
  const rows = [
    ['#', 'column', 'kind', 'missing ->', 'scaling / vocabulary'],
    ...r.preprocessing.map((c) => [String(c.index), c.name, c.kind, c.imputation, columnTreatment(c)]),
  ];
  return {
    title: `preprocessing (metadata onnx_mlp.preprocessing: ${plural(r.preprocessing.length, 'raw column')}, statistics of the train split)`,
    lines: table(rows, ['right']),
  };
}

/** The line that checks the layers' parameter count against what the file holds. */
function parameterTotalLine(p: NonNullable<InspectReport['parameters']>, layerCount: number): string {
  const others =
    p.otherInitializers.count > 0
      ? `; ${plural(p.otherInitializers.count, 'other initializer')} ${p.otherInitializers.count === 1 ? 'holds' : 'hold'} ${p.otherInitializers.elements} constant values`
      : '';
  const where =
    p.checkedAgainst === 'initializers'
      ? `the ${layerCount * 2} parameter initializers hold ${p.found}${others}`
      : `the flat parameter layout holds ${p.found}`;
  return `  total parameters ${p.total}  (${p.matches ? 'checked: ' : 'MISMATCH: '}${where})`;
}

function layersSection(r: InspectReport): Section | undefined {
  if (!r.layers) return undefined;
  const rows = [
    ['layer', 'in', 'out', 'activation', 'parameters'],
    ...r.layers.map((l) => [
      l.name,
      String(l.inputs),
      String(l.outputs),
      l.activation + (l.dropout ? `, dropout ${l.dropout}` : ''),
      String(l.parameters),
    ]),
  ];
  const lines = table(rows, ['left', 'right', 'right', 'left', 'right']);
  if (r.parameters) lines.push(parameterTotalLine(r.parameters, r.layers.length));
  if (r.weightLayout)
    lines.push(`  weights stored ${WEIGHT_LAYOUT_WORDS[r.weightLayout]}  (metadata onnx_mlp.weight_layout ${r.weightLayout})`);
  return { title: `layers (${r.layers.length} dense)`, lines };
}

function keyValueSection(title: string, record: Record<string, unknown> | undefined): Section | undefined {
  if (!record) return undefined;
  return { title, lines: table(Object.entries(record).map(([k, v]) => [k, valueText(k, v)])) };
}

function checkpointSection(r: InspectReport): Section | undefined {
  if (!r.checkpoint) return undefined;
  const c = r.checkpoint;
  const rows = [
    ['epoch', String(c.epoch)],
    ['step', String(c.step)],
    ['history', plural(c.historyLength, 'epoch')],
  ];
  if (c.lastEpoch) rows.push(['last epoch', epochText(c.lastEpoch)]);
  for (const [k, v] of Object.entries(c.extra)) if (k !== 'classNames') rows.push([k, valueText(k, v)]);
  return { title: 'checkpoint', lines: table(rows) };
}

function parameterLayoutSection(r: InspectReport): Section | undefined {
  if (!r.parameterLayout) return undefined;
  const rows = [
    ['parameter', 'shape', 'offset', 'size'],
    ...r.parameterLayout.map((s) => [s.name, shapeText(s.dims), String(s.offset), String(s.size)]),
  ];
  return {
    title: 'parameter layout (metadata onnx_mlp.parameters)',
    lines: table(rows, ['left', 'left', 'right', 'right']),
  };
}

function optimizerStateSection(r: InspectReport): Section | undefined {
  if (!r.optimizerState) return undefined;
  const what = r.checkpoint ? plural(r.optimizerState.length, 'tensor') : plural(r.optimizerState.length, 'slot');
  return {
    title: 'optimizer state',
    lines: [`  ${what}${r.optimizerState.length ? `: ${r.optimizerState.join(', ')}` : ''}`],
  };
}

function graphSection(r: InspectReport): Section {
  const ops = Object.entries(r.opTypes)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const graph = [
    ['nodes', `${r.nodes.graph}${r.nodes.subgraphs ? ` (+ ${r.nodes.subgraphs} in subgraphs)` : ''}${ops ? `: ${ops}` : ''}`],
    ['initializers', `${r.initializers.count} (${r.initializers.elements} elements, ${r.initializers.bytes} bytes)`],
  ];
  return { title: 'graph', lines: table(graph) };
}

function warningsSection(r: InspectReport): Section {
  return { title: 'warnings', lines: r.warnings.map((w) => `  - ${w}`) };
}

function listingSection(r: InspectReport): Section | undefined {
  if (r.listing === undefined) return undefined;
  return { title: 'listing (printGraph)', lines: r.listing.split('\n').map((l) => `  ${l}`) };
}

/** `onnx-mlp inspect`'s human listing: aligned sections, one fact a line. */
export function formatReport(r: InspectReport): string {
  const sections = [
    modelSection(r),
    layersSection(r),
    { title: 'inputs', lines: table(ioRows(r.inputs)) },
    { title: 'outputs', lines: table(ioRows(r.outputs)) },
    preprocessingSection(r),
    keyValueSection('training (metadata onnx_mlp.training)', r.training),
    checkpointSection(r),
    keyValueSection('optimizer', r.optimizer),
    parameterLayoutSection(r),
    optimizerStateSection(r),
    graphSection(r),
    warningsSection(r),
    listingSection(r),
  ];
  const out: string[] = [`${r.file}  (${r.bytes} bytes)`, headline(r)];
  for (const section of sections) {
    if (section && section.lines.length > 0) out.push('', section.title, ...section.lines);
  }
  return `${out.join('\n')}\n`;
}
