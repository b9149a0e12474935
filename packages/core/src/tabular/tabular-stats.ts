import { DataFormatError } from '../data/errors.js';
import { DataError, InvalidArgumentError } from '../errors.js';
import type { Task } from '../model/spec.js';
import { KIND_WINDOW, type ColumnKind } from '../preprocess/kind.js';
import { LabelStats, labelTargeter } from '../preprocess/labels.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { StreamingPreprocessing } from '../preprocess/stream.js';
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
  readonly settings: Pick<TabularSettings, 'task' | 'categorical' | 'scaling' | 'impute' | 'missingCategory'>;
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
  private dataRows = 0;
  private trainRows = 0;

  constructor(
    private readonly o: TabularStatsOptions,
    readonly columns: TabularColumns,
  ) {
    const { settings, hints } = o;
    this.labelStats = columns.labels.map((name) => new LabelStats(name));
    this.featureStats = new StreamingPreprocessing(columns.features, {
      overrides: new Map(settings.categorical.map((c) => [c, 'categorical' as ColumnKind])),
      keepValues: settings.impute === 'median',
      contradictionHint: (column) =>
        `; its kind comes from its first ${KIND_WINDOW} values: if it holds categories, declare it with ${hints.categorical(column)}`,
    });
    this.presentAnywhere = columns.features.map(() => 0);
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
        return s.finish(labels.length > 1 ? 'regression' : task);
      } catch (e) {
        if (e instanceof InvalidArgumentError && e.field === 'task') throw new TabularOptionError('task', e.value, e.reason);
        // A whole-column problem (a single class) names no file yet.
        if (e instanceof DataError && !files.some((f) => e.message.startsWith(`${f}, `)))
          throw new DataError(`${files.join(', ')}: ${e.message}`);
        throw e;
      }
    });
    const first = encodings[0]!;
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

  /** The preprocessing fitted on the train rows; a feature with no value there is an error naming it. */
  preprocessing(): Preprocessing {
    const { settings, hints, file } = this.o;
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
    });
  }

  /** Things worth knowing that are not errors: a category per train row (an identifier) cannot generalise. */
  notices(): string[] {
    const { settings, hints } = this.o;
    return this.featureStats.columns.flatMap((c) => {
      if (c.kind !== 'categorical' || settings.categorical.includes(c.name) || c.present < 20) return [];
      return c.categoryCounts().size === c.present
        ? [
            `column ${JSON.stringify(c.name)} has a different value in every training row (an identifier?): its one-hot features cannot generalise; leave it out with ${hints.exclude(c.name)}`,
          ]
        : [];
    });
  }
}

/** "multiclass label "y" (3 classes)" or "regression on "a", "b"": what a run predicts, for its data line. */
export function describeTask(plan: LabelPlan, labels: readonly string[]): string {
  return plan.task === 'regression'
    ? `regression on ${quoted(labels)}`
    : `${plan.task} label ${JSON.stringify(labels[0])} (${plan.classNames!.length} classes)`;
}
