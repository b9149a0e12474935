import { fairnessReport, type FairnessReport, type ScoredRows } from '../fairness/fairness-report.js';
import { isAccuracy, type TestScore } from './progress.js';
import type { PreparedRun } from './run-context.js';

/** --sensitive: the per-group metrics of the written model on the test split; undefined without it. */
export function testFairness(run: PreparedRun, test: TestScore): FairnessReport | undefined {
  const { config, data } = run;
  if (!config.fairness || !data.testSensitive) return undefined;
  const scored: ScoredRows = isAccuracy(test)
    ? { task: 'classification', truth: data.test.targets, predicted: test.predicted, classNames: data.classNames! }
    : { task: 'regression', targets: data.test.targets, predictions: test.predictions!, width: data.outputs };
  return fairnessReport(scored, data.testSensitive, { data: 'the test split', threshold: config.fairness.threshold });
}
