import { DataFormatError, classificationReport, regressionReport, type Task } from '@onnx-mlp/core';
import type { Cell } from '@onnx-mlp/core/data';
import { isMissing } from '@onnx-mlp/core/preprocess';
import type { ClassScores } from '@onnx-mlp/core/metrics';
import type { TextFormat } from '../data/readers/index.js';
import { fairnessReport, type FairnessReport, type ScoredRows } from '../fairness/fairness-report.js';
import { checkSensitiveColumns } from '../fairness/sensitive-columns.js';
import { rowBatches, rowGroups, type RowGroup } from '../model/data-source.js';
import { featureEncoder, numberError, type FeatureEncoder } from '../model/features.js';
import { runBatch, storedLabelColumns, type BatchOutput, type InferenceModel } from '../model/inference-model.js';
import { quoted } from '../io/echo.js';

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
  /** --sensitive: the metrics of each group of those columns. */
  readonly fairness?: FairnessReport;
}

/** What to evaluate on. */
export interface EvaluateOptions {
  readonly data: string;
  readonly format?: TextFormat;
  /** --label: a column name (regression with several outputs: names separated by commas). */
  readonly label?: string;
  readonly batchSize: number;
  /** --sensitive: per-group metrics by these columns, and the --fairness-threshold to warn above. */
  readonly fairness?: { readonly sensitive: readonly string[]; readonly threshold: number };
}

/** A typed array that doubles as it fills. */
class Growable<T extends Float32Array | Int32Array> {
  length = 0;
  constructor(
    private array: T,
    private readonly make: (n: number) => T,
  ) {}
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
function labelColumns(
  m: InferenceModel,
  option: string | undefined,
  columns: readonly string[],
): { names: string[]; source: EvaluationReport['labelSource'] } {
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
  const listed =
    m.classNames
      .slice(0, 20)
      .map((n) => JSON.stringify(n))
      .join(', ') + (m.classNames.length > 20 ? `, … (${m.classNames.length} in all)` : '');
  return (cell, line) => {
    const text = cell === null ? '' : String(cell).trim();
    const found = byName.get(text);
    if (found !== undefined) return found;
    if (isMissing(cell)) {
      throw new DataFormatError({ file, line, column }, `missing label; every row needs one of the model's classes (${listed})`);
    }
    const n = Number(text);
    if (Number.isFinite(n)) {
      const same = m.classNames.flatMap((name, i) => (name.trim() !== '' && Number(name) === n ? [i] : []));
      if (same.length === 1) return same[0]!;
    }
    throw new DataFormatError({ file, line, column }, `unknown class ${quoted(text)}; the model's classes are ${listed}`);
  };
}

/** Runs the model over every row of the data file and scores its outputs against the label column(s). */
export async function evaluateModel(m: InferenceModel, options: EvaluateOptions): Promise<EvaluationReport> {
  const evaluation = new Evaluation(m, options);
  for await (const group of rowGroups(rowBatches(options.data, options.format, 'evaluate'), options.batchSize)) {
    await evaluation.add(group);
  }
  return evaluation.report();
}

/** How a file's columns are read, decided at its first rows: the label column(s) and the features. */
interface ColumnPlan {
  readonly label: { names: string[]; source: EvaluationReport['labelSource'] };
  /** Position of each label column in the file. */
  readonly labelIndex: readonly number[];
  readonly encoder: FeatureEncoder;
  /** Classifiers: the class index of a label cell. */
  readonly matchClass?: (cell: Cell, line: number) => number;
  /** Position of each --sensitive column in the file. */
  readonly sensitiveIndex: readonly number[];
}

/** The label, feature and sensitive columns of a file with `columns`; a missing label column is a DataFormatError. */
function planColumns(m: InferenceModel, file: string, options: EvaluateOptions, columns: readonly string[]): ColumnPlan {
  const option = options.label;
  const sensitive = options.fairness?.sensitive ?? [];
  checkSensitiveColumns(file, columns, sensitive);
  const label = labelColumns(m, option, columns);
  const absent = label.names.filter((n) => !columns.includes(n));
  if (absent.length > 0) {
    const how = label.source === 'option' ? 'given with --label' : label.source === 'model' ? 'the model was trained with' : 'the default';
    const cols =
      columns
        .slice(0, 20)
        .map((c) => JSON.stringify(c))
        .join(', ') + (columns.length > 20 ? ', …' : '');
    throw new DataFormatError(
      { file },
      `has no label column ${absent.map((n) => JSON.stringify(n)).join(', ')} (${how}); name it with --label COL (the columns are ${cols})`,
    );
  }
  return {
    label,
    labelIndex: label.names.map((n) => columns.indexOf(n)),
    // A model without preprocessing takes every other column: the sensitive ones are not features.
    encoder: featureEncoder(m, file, columns, { excluded: [...label.names, ...sensitive] }),
    ...(m.task !== 'regression' ? { matchClass: classMatcher(m, file, label.names[0]!) } : {}),
    sensitiveIndex: sensitive.map((n) => columns.indexOf(n)),
  };
}

/**
 * One evaluation: encodes each group of rows into the model's input, runs it, and gathers the truth
 * and the model's outputs in growing typed arrays until the report is asked for.
 */
class Evaluation {
  private readonly file: string;
  private readonly input: Float32Array;
  private plan: ColumnPlan | undefined;
  private rows = 0;
  private readonly truth = ints();
  private readonly predicted = ints();
  private readonly positive = floats();
  private readonly targets = floats();
  private readonly predictions = floats();
  /** --sensitive: each column's cells as text, row by row. */
  private readonly sensitive: (string | null)[][];

  constructor(
    private readonly m: InferenceModel,
    private readonly options: EvaluateOptions,
  ) {
    this.file = options.data === '-' ? 'stdin' : options.data;
    this.input = new Float32Array(options.batchSize * m.inputWidth);
    this.sensitive = (options.fairness?.sensitive ?? []).map(() => []);
  }

  /** Scores one group of rows (at most `batchSize`). */
  async add(group: RowGroup): Promise<void> {
    const { m, file } = this;
    this.plan ??= planColumns(m, file, this.options, group.columns);
    const plan = this.plan;
    const n = group.rows.length;
    for (let i = 0; i < n; i++) {
      const row = group.rows[i]!;
      plan.sensitiveIndex.forEach((c, k) => {
        const v = row.cells[c];
        this.sensitive[k]!.push(v === null || v === undefined ? null : String(v));
      });
      plan.encoder.encode(row, this.input, i * m.inputWidth);
      if (plan.matchClass) {
        this.truth.push(plan.matchClass(row.cells[plan.labelIndex[0]!] ?? null, row.line));
      } else {
        plan.labelIndex.forEach((c, k) => {
          const v = row.cells[c] ?? null;
          const y = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
          if (!Number.isFinite(y))
            throw numberError({
              file,
              line: row.line,
              column: plan.label.names[k]!,
              value: v,
              what: 'a regression target must be a number',
            });
          this.targets.push(y);
        });
      }
    }
    this.addOutputs(await runBatch(m, this.input, n, { file: this.file, firstRow: this.rows + 1 }), n);
    this.rows += n;
  }

  /** The report over every row added; a file without rows is a DataFormatError. */
  report(): EvaluationReport {
    const { m, plan } = this;
    if (plan === undefined) throw new DataFormatError({ file: this.file }, 'has no data rows');
    const base = { model: m.path, data: this.file, task: m.task, rows: this.rows, label: plan.label.names, labelSource: plan.label.source };
    if (m.task === 'regression')
      return { ...base, ...regressionReport(this.targets.view(), this.predictions.view(), m.outputWidth), ...this.fairness() };
    const classes = m.classNames.length;
    const report = classificationReport(
      this.truth.view(),
      this.predicted.view(),
      classes,
      classes === 2 ? this.positive.view() : undefined,
    );
    return {
      ...base,
      classes: m.classNames,
      accuracy: report.accuracy,
      correct: report.confusion.reduce((a, r, c) => a + r[c]!, 0),
      perClass: report.perClass.map((s, c) => ({ class: m.classNames[c]!, ...s })),
      macro: report.macro,
      weighted: report.weighted,
      confusion: report.confusion,
      ...(classes === 2 ? { rocAuc: Number.isNaN(report.rocAuc) ? null : (report.rocAuc ?? null), positiveClass: m.classNames[1]! } : {}),
      ...this.fairness(),
    };
  }

  /** --sensitive: the per-group metrics of every row added. */
  private fairness(): { fairness?: FairnessReport } {
    const { m, options } = this;
    if (!options.fairness) return {};
    const scored: ScoredRows =
      m.task === 'regression'
        ? { task: 'regression', targets: this.targets.view(), predictions: this.predictions.view(), width: m.outputWidth }
        : { task: 'classification', truth: this.truth.view(), predicted: this.predicted.view(), classNames: m.classNames };
    const sensitive = { columns: options.fairness.sensitive, values: this.sensitive };
    return { fairness: fairnessReport(scored, sensitive, { data: this.file, threshold: options.fairness.threshold }) };
  }

  private addOutputs(out: BatchOutput, n: number): void {
    const { m } = this;
    if (out.labels) {
      for (let i = 0; i < n; i++) this.predicted.push(out.labels[i]!);
      if (m.outputWidth === 2) for (let i = 0; i < n; i++) this.positive.push(out.values[i * 2 + 1]!);
    } else {
      for (let i = 0; i < n * m.outputWidth; i++) this.predictions.push(out.values[i]!);
    }
  }
}
