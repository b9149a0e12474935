import type { TabularOptions } from '../data/tabular.js';
import { OptionError } from '../errors.js';
import { refuseRepeatedColumns } from '../fairness/sensitive-columns.js';
import { DEFAULT_FAIRNESS_THRESHOLD, type FairnessConfig } from './config.js';
import { checkOption, type TrainArgs } from './train-options.js';

/** --sensitive and --fairness-threshold: what per-group metrics the run reports, or null for none. */
export function resolveFairness(args: TrainArgs, dataset: TabularOptions | null): FairnessConfig | null {
  const sensitive = checkOption('sensitive', args.sensitive);
  if (sensitive === null) {
    if (args.fairnessThreshold !== undefined)
      throw new OptionError('fairness-threshold', args.fairnessThreshold, 'only --sensitive uses it');
    return null;
  }
  // The streamed pipeline does not keep the test rows' other columns (yet).
  if (dataset?.stream) throw new OptionError('sensitive', sensitive, 'cannot be combined with --stream');
  refuseRepeatedColumns(sensitive);
  const threshold =
    args.fairnessThreshold === undefined ? DEFAULT_FAIRNESS_THRESHOLD : checkOption('fairness-threshold', args.fairnessThreshold);
  return { sensitive, threshold };
}
