import type { TabularHints, TabularSettings } from '@onnx-mlp/core/tabular';

/** Placeholder hints: each names what it stands for, so a test can see which one a message used. */
export const HINTS: TabularHints = {
  exclude: (c) => `<exclude ${c}>`,
  categorical: (c) => `<categorical ${c}>`,
  regressionTask: ' <task>',
  task: (t) => `<task ${t}>`,
  maxCategories: '<max categories>',
};

/** prepareTables' defaults for a label column `y`, as the CLI and the web package pass them. */
export const SETTINGS: TabularSettings = {
  label: 'y',
  task: 'auto',
  features: null,
  exclude: [],
  categorical: [],
  scaling: 'standard',
  impute: 'mean',
  missingCategory: false,
  testSplit: 0.2,
};
