import { checkSplitCounts as coreCheckSplitCounts, type SplitCounts } from '@onnx-mlp/core/tabular';
import { cliTabular } from './cli-tabular.js';

/** Refuses a split that leaves a part asked for empty, or nothing to train on (core's check, worded with the flags). */
export function checkSplitCounts(c: SplitCounts): void {
  cliTabular(() => coreCheckSplitCounts(c));
}
