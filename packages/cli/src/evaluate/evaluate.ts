import { DataFormatError, classificationReport, regressionReport, type Task } from '@onnx-mlp/core';
import type { Cell } from '@onnx-mlp/core/data';
import { MISSING_TOKENS } from '@onnx-mlp/core/preprocess';
import type { ClassScores } from '@onnx-mlp/core/metrics';
import type { TextFormat } from '../data/readers/index.js';
import { rowBatches, rowGroups } from '../model/data-source.js';
import { featureEncoder, numberError } from '../model/features.js';
import { runBatch, storedLabelColumns, type InferenceModel } from '../model/inference-model.js';

/** One class's scores, named. */
export interface NamedClassScores extends ClassScores {
  readonly class: string;
}

/** What `onnx-mlp evaluate` measures; `--json` prints exactly this object. */
export interface EvaluationReport {
  readonly model: string;
  readonly data: string;
  readonly task: Task;
  readonly rows: number;
  /** The column(s) holding the truth. */
  readonly label: readonly string[];
  /** Where the label column name came from. */
  readonly labelSource: 'option' | 'model' | 'default';
  // Classifiers:
  readonly classes?: readonly string[];
  readonly accuracy?: number;
  readonly correct?: number;
  readonly perClass?: readonly NamedClassScores[];
  readonly macro?: ClassScores;
  readonly weighted?: ClassScores;
  /** confusion[true][predicted], classes in `classes` order. */
  readonly confusion?: readonly (readonly number[])[];
  /** Two classes: area under the ROC curve of class index 1 (its probability as the score); null when only one class occurs. */
  readonly rocAuc?: number | null;
  readonly positiveClass?: string;
  // Regression:
  readonly mse?: number;
  readonly mae?: number;
  readonly r2?: number;
}

/** What to evaluate on. */
export interface EvaluateOptions {
  readonly data: string;
  readonly format?: TextFormat;
  /** --label: a column name (regression with several outputs: names separated by commas). */
  readonly label?: string;
  readonly batchSize: number;
}

/** A typed array that doubles as it fills. */
class Growable<T extends Float32Array | Int32Array> {
  length = 0;
  constructor(private array: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.length === this.array.length) {
      const bigger = this.make(Math.max(1024, this.array.length * 2));
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = v;
  }
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }
}
const floats = (): Growable<Float32Array> => new Growable(new Float32Array(1024), (n) => new Float32Array(n));
const ints = (): Growable<Int32Array> => new Growable(new Int32Array(1024), (n) => new Int32Array(n));

/** The label columns: --label, else the model's stored label column, else `label` (label_0.. for several outputs). */
function labelColumns(m: InferenceModel, option: string | undefined, columns: readonly string[]): { names: string[]; source: EvaluationReport['labelSource'] } {
  const width = m.task === 'regression' ? m.outputWidth : 1;
  if (option !== undefined) {
    const names = columns.includes(option) || width === 1 ? [option] : option.split(',').map((s) => s.trim());
    return { names, source: 'option' };
  }
  const stored = storedLabelColumns(m);
  if (stored && stored.length === width) return { names: stored, source: 'model' };
  return { names: width === 1 ? ['label'] : Array.from({ length: width }, (_, k) => `label_${k}`), source: 'default' };
}

/** Maps label cells to class indices: class names compared as trimmed text, then as numbers ("3.0" is class "3"). */
function classMatcher(m: InferenceModel, file: string, column: string): (cell: Cell, line: number) => number {
  const byName = new Map(m.classNames.map((name, i) => [name.trim(), i]));
  const listed = m.classNames.slice(0, 20).map((n) => JSON.stringify(n)).join(', ') + (m.classNames.length > 20 ? `, … (${m.classNames.length} in all)` : '');
  return (cell, line) => {
    const text = cell === null ? '' : String(cell).trim();
    const found = byName.get(text);
    if (found !== undefined) return found;
    if (cell === null || MISSING_TOKENS.has(text)) {
      throw new DataFormatError({ file, line, column }, `missing label; every row needs one of the model's classes (${listed})`);
    }
    const n = Number(text);
    if (Number.isFinite(n)) {
      const same = m.classNames.flatMap((name, i) => (name.trim() !== '' && Number(name) === n ? [i] : []));
      if (same.length === 1) return same[0]!;
    }
    throw new DataFormatError({ file, line, column }, `unknown class ${JSON.stringify(text)}; the model's classes are ${listed}`);
  };
}

/** Runs the model over every row of the data file and scores its outputs against the label column(s). */
export async function evaluateModel(m: InferenceModel, options: EvaluateOptions): Promise<EvaluationReport> {
  const file = options.data === '-' ? 'stdin' : options.data;
  const input = new Float32Array(options.batchSize * m.inputWidth);
  const classifier = m.task !== 'regression';
  const truth = ints();
  const predicted = ints();
  const positive = floats();
  const targets = floats();
  const predictions = floats();
  let label: { names: string[]; source: EvaluationReport['labelSource'] } | undefined;
  let encoder: ReturnType<typeof featureEncoder> | undefined;
  let labelIndex: number[] = [];
  let matchClass: ((cell: Cell, line: number) => number) | undefined;
  let rows = 0;

  for await (const group of rowGroups(rowBatches(options.data, options.format, 'evaluate'), options.batchSize)) {
    if (label === undefined) {
      label = labelColumns(m, options.label, group.columns);
      const absent = label.names.filter((n) => !group.columns.includes(n));
      if (absent.length > 0) {
        const how = label.source === 'option' ? 'given with --label' : label.source === 'model' ? 'the model was trained with' : 'the default';
        const cols = group.columns.slice(0, 20).map((c) => JSON.stringify(c)).join(', ') + (group.columns.length > 20 ? ', …' : '');
        throw new DataFormatError(
          { file },
          `has no label column ${absent.map((n) => JSON.stringify(n)).join(', ')} (${how}); name it with --label COL (the columns are ${cols})`,
        );
      }
      labelIndex = label.names.map((n) => group.columns.indexOf(n));
      encoder = featureEncoder(m, file, group.columns, { excluded: label.names });
      if (classifier) matchClass = classMatcher(m, file, label.names[0]!);
    }
    const n = group.rows.length;
    for (let i = 0; i < n; i++) {
      const row = group.rows[i]!;
      encoder!.encode(row, input, i * m.inputWidth);
      if (matchClass) {
        truth.push(matchClass(row.cells[labelIndex[0]!] ?? null, row.line));
      } else {
        labelIndex.forEach((c, k) => {
          const v = row.cells[c] ?? null;
          const y = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
          if (!Number.isFinite(y)) throw numberError(file, row.line, label!.names[k]!, v, 'a regression target must be a number');
          targets.push(y);
        });
      }
    }
    const out = await runBatch(m, input, n);
    if (out.labels) {
      for (let i = 0; i < n; i++) predicted.push(out.labels[i]!);
      if (m.outputWidth === 2) for (let i = 0; i < n; i++) positive.push(out.values[i * 2 + 1]!);
    } else {
      for (let i = 0; i < n * m.outputWidth; i++) predictions.push(out.values[i]!);
    }
    rows += n;
  }
  if (label === undefined) throw new DataFormatError({ file }, 'has no data rows');

  const base = { model: m.path, data: file, task: m.task, rows, label: label.names, labelSource: label.source };
  if (!classifier) return { ...base, ...regressionReport(targets.view(), predictions.view(), m.outputWidth) };
  const classes = m.classNames.length;
  const report = classificationReport(truth.view(), predicted.view(), classes, classes === 2 ? positive.view() : undefined);
  return {
    ...base,
    classes: m.classNames,
    accuracy: report.accuracy,
    correct: report.confusion.reduce((a, r, c) => a + r[c]!, 0),
    perClass: report.perClass.map((s, c) => ({ class: m.classNames[c]!, ...s })),
    macro: report.macro,
    weighted: report.weighted,
    confusion: report.confusion,
    ...(classes === 2 ? { rocAuc: Number.isNaN(report.rocAuc) ? null : report.rocAuc ?? null, positiveClass: m.classNames[1]! } : {}),
  };
}
