import { columnTreatment, shortNumber, summarizePreprocessing } from '../preprocess/summary.js';
import { jsonMarkdown, markdownTable } from './card-json-markdown.js';
import type { IntegrityCheck } from './integrity.js';
import type { CardClassifierMetrics, CardSplitMetrics, CardView } from './model-card.js';

const NOT_STATED = '_not stated by the trainer_';

function title(v: CardView): string {
  const s = v.spec;
  return s ? `# Model card: ${s.task} MLP ${[s.inputs, ...s.hidden, s.outputs].join('-')} (${s.activation})` : '# Model card';
}

function detailsSection(v: CardView): string[] {
  const c = v.card!;
  const rows: [string, unknown][] = [
    ['toolkit', c.toolkit],
    ['created', c.createdAt],
    ['device', c.device],
    ['training time', `${c.trainingSeconds.toFixed(2)} s (${c.history.length} epochs)`],
    ['seed', c.seed],
    ['owner', c.owner ?? NOT_STATED],
    ['license', c.license ?? NOT_STATED],
  ];
  return ['## Details', '', ...markdownTable(['field', 'value'], rows)];
}

function statementsSection(v: CardView): string[] {
  const c = v.card!;
  return ['## Intended use', '', c.intendedUse ?? NOT_STATED, '', '## Limitations', '', c.limitations ?? NOT_STATED];
}

function configurationSection(v: CardView): string[] {
  const rows = Object.entries(v.card!.configuration).map(([k, value]) => [k, value]);
  return ['## Configuration', '', ...markdownTable(['setting', 'value'], rows)];
}

const SPLIT_FACTS: [string, string][] = [
  ['data', 'data'],
  ['label', 'label'],
  ['task', 'task'],
  ['split', 'split'],
  ['trainRows', 'train rows'],
  ['valRows', 'validation rows'],
  ['testRows', 'test rows'],
  ['valFile', 'validation file'],
  ['testFile', 'test file'],
  ['stream', 'streamed'],
];

function dataSection(v: CardView): string[] {
  const t = v.training ?? {};
  const c = v.card;
  const lines = ['## Data', ''];
  const facts = SPLIT_FACTS.filter(([k]) => t[k] !== undefined).map(([k, label]) => [label, t[k]]);
  if (facts.length > 0) lines.push(...markdownTable(['fact', 'value'], facts), '');
  if (c && c.data.files.length > 0) {
    lines.push('Files (SHA-256 of the bytes read, as `sha256sum` prints it):', '');
    lines.push(
      ...markdownTable(
        ['role', 'file', 'bytes', 'sha256'],
        c.data.files.map((f) => [f.role, f.file, f.bytes, f.sha256]),
      ),
      '',
    );
  }
  const excluded = c?.data.excluded ?? [];
  if (excluded.length > 0)
    lines.push(
      'Excluded columns:',
      '',
      ...markdownTable(
        ['column', 'reason'],
        excluded.map((e) => [e.column, e.reason]),
      ),
      '',
    );
  // Columns the data checks left out (identifier-like, ...), as the training facts record them.
  if (t.excluded !== undefined) lines.push('Columns the data checks excluded:', '', ...jsonMarkdown(t.excluded), '');
  if (c) lines.push("The model stores no training rows: only the aggregates below and the files' hashes.");
  return lines;
}

function featuresSection(v: CardView): string[] {
  if (!v.preprocessing) return [];
  const rows = summarizePreprocessing(v.preprocessing).map((c) => [c.name, c.kind, c.imputation, columnTreatment(c)]);
  return [
    '## Features',
    '',
    'Statistics from the train split, applied inside the model:',
    '',
    ...markdownTable(['column', 'kind', 'missing →', 'encoding'], rows),
    ...(v.missingInput ? ['', `Missing cells are passed as ${v.missingInput}.`] : []),
  ];
}

function classesSection(v: CardView): string[] {
  if (!v.classNames) return [];
  const counts = v.card?.data.classCounts ?? {};
  const splits = (['train', 'validation', 'test'] as const).filter((s) => counts[s] !== undefined);
  const rows = v.classNames.map((name, i) => [name, ...splits.map((s) => counts[s]![i] ?? 0)]);
  return ['## Classes', '', ...markdownTable(['class', ...splits.map((s) => `${s} rows`)], rows)];
}

function classifierLines(m: CardClassifierMetrics): string[] {
  const head = [`accuracy ${shortNumber(m.accuracy)} (${m.correct} of ${m.rows})`, `macro F1 ${shortNumber(m.macro.f1)}`];
  if (m.rocAuc !== undefined)
    head.push(`ROC-AUC ${m.rocAuc === null ? 'n/a' : shortNumber(m.rocAuc)} (positive class ${JSON.stringify(m.positiveClass)})`);
  const scores = [
    ...m.perClass.map((s) => [s.class, s.precision, s.recall, s.f1, s.support]),
    ['macro avg', m.macro.precision, m.macro.recall, m.macro.f1, m.macro.support],
    ['weighted avg', m.weighted.precision, m.weighted.recall, m.weighted.f1, m.weighted.support],
  ];
  const names = m.perClass.map((s) => s.class);
  return [
    head.join(', '),
    '',
    ...markdownTable(
      ['class', 'precision', 'recall', 'f1', 'support'],
      scores.map(([name, p, r, f, n]) => [name, fixed4(p as number), fixed4(r as number), fixed4(f as number), n]),
    ),
    '',
    'Confusion matrix (rows: true class, columns: predicted):',
    '',
    ...markdownTable(
      ['true \\ predicted', ...names],
      m.confusion.map((row, i) => [names[i], ...row]),
    ),
  ];
}

/** As `onnx-mlp evaluate` prints scores: four decimals. */
function fixed4(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** One split's metrics as Markdown lines. */
export function splitMetricsMarkdown(m: CardSplitMetrics): string[] {
  if ('accuracy' in m) return classifierLines(m);
  return [`${m.rows} rows: MSE ${shortNumber(m.mse)}, MAE ${shortNumber(m.mae)}, R² ${shortNumber(m.r2)}`];
}

function metricsSection(v: CardView): string[] {
  const m = v.card!.metrics;
  const lines = ['## Metrics', '', 'The numbers `onnx-mlp evaluate` prints for the same rows.'];
  if (m.validation) lines.push('', '### Validation split', '', ...splitMetricsMarkdown(m.validation));
  if (m.test) lines.push('', '### Test split (held out, never used to choose anything)', '', ...splitMetricsMarkdown(m.test));
  if (!m.validation && !m.test) lines.push('', 'No split was scored.');
  return lines;
}

function extrasSection(v: CardView): string[] {
  return v.extras.flatMap(({ key, value }) => ['', `## ${key} (metadata onnx_mlp.${key})`, '', ...jsonMarkdown(value)]).slice(1);
}

/** How cardMarkdown renders: for a model's doc_string (written before sealing), or with a fresh integrity check. */
export interface CardMarkdownOptions {
  /** The doc_string copy: no digest yet, so the integrity section points to the metadata instead. */
  readonly docString?: boolean;
  /** The result of checkIntegrity on the model shown, stated under Integrity. */
  readonly check?: { readonly status: IntegrityCheck['status']; readonly differs: readonly string[] };
}

function checkLine(check: NonNullable<CardMarkdownOptions['check']>): string {
  if (check.status === 'ok') return 'Checked now: **verified**, the file is unchanged since it was sealed.';
  if (check.status === 'no-digest') return 'Checked now: nothing to verify (no digest).';
  return `Checked now: **FAILED**, its ${check.differs.join(', ') || 'digest'} changed since it was sealed.`;
}

function integritySection(v: CardView, o: CardMarkdownOptions): string[] {
  const lines = ['## Integrity', ''];
  if (o.docString) {
    return [
      ...lines,
      'This text is a copy of the card for reading. The record is the metadata (onnx_mlp.card and the keys it cites),',
      'covered by the SHA-256 digest in onnx_mlp.integrity: `onnx-mlp card MODEL` and `onnx-mlp verify MODEL` read it.',
    ];
  }
  if (!v.integrity)
    return [...lines, 'No integrity digest: this file was not sealed by onnx-mlp.', ...(o.check ? ['', checkLine(o.check)] : [])];
  lines.push(`SHA-256 digest over the graph, the weights and every metadata entry (this card included): \`${v.integrity.digest}\`.`);
  lines.push(v.signedBy ? `Signed (Ed25519) by the key with fingerprint \`${v.signedBy}\`.` : 'Not signed.');
  lines.push('', o.check ? checkLine(o.check) : 'Check it with `onnx-mlp verify MODEL` (with the public key for the signature).');
  return lines;
}

/** The model card as Markdown: what `onnx-mlp card` prints and what the model's doc_string holds. */
export function cardMarkdown(v: CardView, options: CardMarkdownOptions = {}): string {
  const sections: string[][] = [[title(v)]];
  if (!v.card) {
    sections.push(['This model has no model card (no metadata onnx_mlp.card): it was not trained by an onnx-mlp version that writes one.']);
  } else {
    sections.push(detailsSection(v), statementsSection(v), configurationSection(v));
  }
  sections.push(dataSection(v), featuresSection(v), classesSection(v));
  if (v.card) sections.push(metricsSection(v));
  sections.push(extrasSection(v), integritySection(v, options));
  return `${sections
    .filter((s) => s.length > 0)
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}

/** One line about the card for `inspect`: who made it when, from which files, how well it scores. */
export function cardSummaryLine(v: CardView): string {
  const c = v.card;
  if (!c) return 'none (no metadata onnx_mlp.card)';
  const parts = [`${c.toolkit}, ${c.createdAt}, ${c.device}, ${c.history.length} epochs in ${c.trainingSeconds.toFixed(1)} s`];
  parts.push(`${c.data.files.length} data file${c.data.files.length === 1 ? '' : 's'} hashed`);
  const test = c.metrics.test;
  if (test) parts.push('accuracy' in test ? `test accuracy ${shortNumber(test.accuracy)}` : `test R² ${shortNumber(test.r2)}`);
  if (c.owner) parts.push(`owner ${c.owner}`);
  if (v.extras.length > 0) parts.push(`also ${v.extras.map((e) => e.key).join(', ')}`);
  return parts.join('; ');
}
