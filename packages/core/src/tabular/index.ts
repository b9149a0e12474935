// The table -> training-data pipeline shared by the CLI and the web package: same columns, split,
// statistics, controls and metadata from the same settings and seed.
export { TabularOptionError, NONFINITE_CHOICES, DEFAULT_MAX_CATEGORIES } from './settings.js';
export type { TabularSettings, TabularColumns, TabularHints, NonfiniteHandling } from './settings.js';
export { withoutUnlabelled, missingLabel } from './unlabelled-rows.js';
export { quoted, headerTable, labelColumns, featureColumns, checkColumns, withLabelFile, excludedColumns } from './columns.js';
export type { ExcludedColumn } from './columns.js';
export { splitRows } from './split-rows.js';
export type { RowSplit, SplitParts } from './split-rows.js';
export { checkSplitCounts, heldOutCounts } from './split-counts.js';
export type { SplitCounts } from './split-counts.js';
export { TabularStats, describeTask } from './tabular-stats.js';
export type { LabelPlan, TabularStatsOptions } from './tabular-stats.js';
export { withFeatures } from './tabular-data.js';
export type { RawSplit, TabularSplit, FeatureGraph, TabularShape, PreparedTables, TabularData } from './tabular-data.js';
export { prepareTables, tableColumns, describeTabular } from './prepare-tables.js';
export type { TabularTables, PrepareTablesOptions } from './prepare-tables.js';
export {
  specForData,
  resolveClassWeights,
  stepOptions,
  scheduleWithSteps,
  learningRateSchedule,
  earlyStoppingRule,
  stoppingOutcome,
  alreadyStopped,
} from './controls.js';
export type { ScheduleSetting, EarlyStoppingSetting, ClassWeightsSetting, StoppingOutcome } from './controls.js';
export { tabularDataFacts, splitTableFacts, controlFacts, testFacts, trainingFacts } from './training-facts.js';
export type { TestScore, TrainingFactsParts } from './training-facts.js';
export { splitMetrics, classCounts } from './split-metrics.js';
export type { SplitScoring } from './split-metrics.js';
