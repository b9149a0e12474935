import { DataFormatError, formatLocation } from '../data/errors.js';
import { DataError, InvalidArgumentError } from '../errors.js';
import type { Task } from '../model/spec.js';
import { KIND_WINDOW, type ColumnKind } from '../preprocess/kind.js';
import { LabelStats, labelTargeter } from '../preprocess/labels.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { StreamingPreprocessing, type StreamingColumnStats } from '../preprocess/stream.js';
import { DEFAULT_MAX_CATEGORIES } from '../preprocess/column-stats.js';
import { TargetMoments, type TargetScaling } from '../preprocess/target-scaling.js';
import { isMissing } from '../preprocess/tokens.js';
import { quoted } from './columns.js';
import { TabularOptionError, type TabularColumns, type TabularHints, type TabularSettings } from './settings.js';

/** The label column(s) of a run decided: task, class names, output width, and the targets of a row. */
export interface LabelPlan {
  readonly task: Task;
  /** Class names in output order (classifiers), else null. */
  readonly classNames: readonly string[] | null;
  /** Targets a row: one (class index or number) a label column. */
  readonly width: number;
  /** Width of the MLP's output layer. */
  readonly outputs: number;
  /** The targets of one row, from its label cells in label-column order. */
  target(cells: readonly (string | null)[]): number[];
}

/** What TabularStats needs to know: the settings, the data table's name (for errors) and the front end's hints. */
export interface TabularStatsOptions {
  readonly settings: Pick<
    TabularSettings,
    'task' | 'categorical' | 'scaling' | 'impute' | 'missingCategory' | 'nonfinite' | 'dropMissingLabel' | 'maxCategories'
  >;
  /** The data table's name, as errors about a whole feature column name it. */
  readonly file: string;
  readonly hints: TabularHints;
}

/**
 * Everything a tabular run learns from its rows, gathered row by row in file order, the same whether
 * the rows sit in memory or stream past: the labels of every row (task, classes), each feature's kind
 * from the first values of the data (a later contradiction is an error naming file, line and column),
 * and the statistics of the train rows (core's StreamingPreprocessing, Welford's running moments).
 */
export class TabularStats {
  private readonly labelStats: LabelStats[];
  private readonly featureStats: StreamingPreprocessing;
  /** Present values of each feature over every row of the data (train or not), and that row count. */
  private readonly presentAnywhere: number[];
  /** The train rows' targets as numbers, for a regression's target standardisation. */
  private readonly trainTargets: TargetMoments;
  private dataRows = 0;
  private trainRows = 0;
  /** Rows left out for a missing label (dropMissingLabel). */
  private droppedRows = 0;
  /** What `auto` chose for a numeric label, and why: a notice. */
  private autoNotice: string | null = null;

  constructor(
    private readonly o: TabularStatsOptions,
    readonly columns: TabularColumns,
  ) {
    const { settings, hints } = o;
    this.labelStats = columns.labels.map((name) => new LabelStats(name));
    this.featureStats = new StreamingPreprocessing(columns.features, {
      overrides: new Map(settings.categorical.map((c) => [c, 'categorical' as ColumnKind])),
      keepValues: settings.impute === 'median',
      nonfinite: settings.nonfinite ?? 'error',
      maxCategories: settings.maxCategories ?? DEFAULT_MAX_CATEGORIES,
      contradictionHint: (column) =>
        `; its kind comes from its first ${KIND_WINDOW} values: if it holds categories, declare it with ${hints.categorical(column)}`,
    });
    this.presentAnywhere = columns.features.map(() => 0);
    this.trainTargets = new TargetMoments(columns.labels.length);
  }

  /** Adds one train row's targets (one number a label column, from `offset`): a regression's scaling is fitted on them. */
  addTrainTargets(targets: ArrayLike<number>, offset = 0): void {
    this.trainTargets.add(targets, offset);
  }

  /** A regression's target standardisation (the train rows' mean and standard deviation); null for a classifier. */
  targetScaling(plan: LabelPlan): TargetScaling | null {
    return plan.task === 'regression' ? this.trainTargets.finish() : null;
  }

  /** Counts rows left out for a missing label (they never reach `addLabels`): the data line and the facts say how many. */
  noteDropped(rows: number): void {
    this.droppedRows += rows;
  }

  /** Rows left out for a missing label. */
  get dropped(): number {
    return this.droppedRows;
  }

  /** Adds one row's label cells (every row of every table: the classes cover them all). */
  addLabels(cells: readonly (string | null)[], where: () => string): void {
    this.labelStats.forEach((s, k) => s.add(cells[k] ?? null, where));
  }

  /**
   * Adds one row of the data's feature cells, in file order. Every row counts towards the kinds
   * (decided from the first values of the data, whatever the split), only train rows towards the statistics.
   */
  addFeatures(cells: readonly (string | null)[], where: () => string, train: boolean): void {
    this.dataRows++;
    cells.forEach((c, k) => {
      if (!isMissing(c)) this.presentAnywhere[k]!++;
    });
    if (!train) {
      this.featureStats.addHeldOut(cells, where);
      return;
    }
    this.trainRows++;
    this.featureStats.add(cells, where);
  }

  /** The task and classes, for `files` (named by whole-column errors); a task that does not fit is a TabularOptionError. */
  labelPlan(files: readonly string[]): LabelPlan {
    const { labels } = this.columns;
    const task = this.o.settings.task;
    if (labels.length > 1 && task !== 'auto' && task !== 'regression') {
      throw new TabularOptionError(
        'task',
        task,
        `several label columns (${quoted(labels)}) are regression targets${this.o.hints.regressionTask}`,
      );
    }
    const encodings = this.labelStats.map((s) => {
      try {
        return s.finish(labels.length > 1 ? 'regression' : task, { dropped: this.droppedRows });
      } catch (e) {
        if (e instanceof InvalidArgumentError && e.field === 'task') throw new TabularOptionError('task', e.value, e.reason);
        // A whole-column problem (a single class) names no file yet.
        if (e instanceof DataError && !files.some((f) => e.message.startsWith(`${f}, `)))
          throw new DataError(`${files.join(', ')}: ${e.message}`, { code: e.code, fields: e.fields });
        throw e;
      }
    });
    const first = encodings[0]!;
    if (task === 'auto' && labels.length === 1) this.autoNotice = this.describeAuto(first.task);
    const targeters = encodings.map(labelTargeter);
    const classNames = first.task === 'regression' ? null : first.classNames;
    return {
      task: first.task,
      classNames,
      width: labels.length,
      outputs: first.task === 'multiclass' ? classNames!.length : first.task === 'binary' ? 1 : labels.length,
      target: (cells) => targeters.map((t, k) => t(cells[k]!)),
    };
  }

  /** The notice naming what `auto` chose for a numeric label, why, and the option that chooses otherwise. */
  private describeAuto(task: LabelPlan['task']): string | null {
    const { reason } = this.labelStats[0]!.autoChoice();
    if (reason === null) return null;
    const label = JSON.stringify(this.columns.labels[0]);
    const instead =
      task === 'regression'
        ? `${this.o.hints.task('multiclass')} to classify it`
        : `${this.o.hints.task('regression')} to predict it as a number`;
    const what = task === 'regression' ? 'regression' : `${task} classification`;
    return `label ${label} has ${reason}, so task auto trains ${what}; set ${instead} instead`;
  }

  /** The preprocessing fitted on the train rows; a feature with no value there, or one that identifies its rows, is an error naming it. */
  preprocessing(): Preprocessing {
    const { settings, hints, file } = this.o;
    for (const c of this.featureStats.columns) refuseIdentifier(c, { file, hints, declared: settings.categorical.includes(c.name) });
    this.featureStats.columns.forEach((c, k) => {
      if (c.present > 0) return;
      const name = c.name;
      const reason =
        this.presentAnywhere[k] === 0
          ? `is entirely missing (no values in ${this.dataRows} rows): drop it (${hints.exclude(name)}) or fill it`
          : `has no values in the ${this.trainRows} rows of the train split: drop it (${hints.exclude(name)}) or fill it`;
      throw new DataFormatError({ file, column: name }, reason);
    });
    return this.featureStats.finish({
      scaling: settings.scaling,
      numericImpute: settings.impute,
      categoricalMissing: settings.missingCategory ? 'category' : 'most_frequent',
      maxCategories: settings.maxCategories ?? DEFAULT_MAX_CATEGORIES,
    });
  }

  /** Things worth knowing that are not errors: what task auto chose, vocabularies capped at maxCategories. */
  notices(preprocessing: Preprocessing): string[] {
    const auto = this.autoNotice !== null ? [this.autoNotice] : [];
    return auto.concat(
      preprocessing.columns.flatMap((c) =>
        c.kind === 'categorical' && c.otherIndex !== undefined
          ? [
              `column ${JSON.stringify(c.name)} has ${c.otherIndex + c.otherCategories!} distinct values: the ${c.otherIndex} most frequent are categories, the other ${c.otherCategories} share one "${c.vocabulary[c.otherIndex]}" slot (${this.o.hints.maxCategories})`,
            ]
          : [],
      ),
    );
  }
}

/** A categorical column with a distinct value in nearly every row (over this share of them) identifies rows: refused. */
export const IDENTIFIER_SHARE = 0.9;
/** Present values a column needs before it can look like an identifier. */
const IDENTIFIER_MIN_ROWS = 20;

/**
 * Refuses a categorical column that looks like an identifier or free text (names, e-mail
 * addresses): its vocabulary would carry the training rows' values into the shipped model, and
 * its one-hot features cannot generalise. A column declared categorical is the user's choice.
 */
function refuseIdentifier(c: StreamingColumnStats, o: { file: string; hints: TabularHints; declared: boolean }): void {
  if (c.kind !== 'categorical' || o.declared || c.present < IDENTIFIER_MIN_ROWS) return;
  const distinct = c.distinct;
  if (distinct < IDENTIFIER_SHARE * c.present) return;
  throw new DataError(
    `${formatLocation({ file: o.file, column: c.name })}: has ${distinct === c.present ? 'a different value in every one' : `${distinct} distinct values in ${c.present}`} of the train rows: it looks like an identifier or free text, which a model must not carry in its vocabulary (nor can it generalise from it); leave it out with ${o.hints.exclude(c.name)}`,
    { code: 'IDENTIFIER_COLUMN', fields: { column: c.name, distinct, rows: c.present } },
  );
}

/** "multiclass label "y" (3 classes)" or "regression on "a", "b"": what a run predicts, for its data line. */
export function describeTask(plan: LabelPlan, labels: readonly string[]): string {
  return plan.task === 'regression'
    ? `regression on ${quoted(labels)}`
    : `${plan.task} label ${JSON.stringify(labels[0])} (${plan.classNames!.length} classes)`;
}
