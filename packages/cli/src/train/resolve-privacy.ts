import { PrivacyBudgetError, type PrivacyPlan, type PrivacyRequest, epsilonAfter, planPrivateRun } from '@onnx-mlp/core/privacy';
import type { TabularOptions } from '../data/tabular.js';
import { OptionError } from '../errors.js';
import type { TrainConfig } from './config.js';
import { checkOption, type TrainArgs } from './train-options.js';

/** The per-example bound when --dp-clip is not given. */
export const DEFAULT_DP_CLIP = 1;

/** The settings --dp refuses, each with why it breaks the guarantee or the per-example bound. */
function incompatible(controls: Pick<TrainConfig, 'clipNorm' | 'classWeights'>, dataset: TabularOptions | null): OptionError | null {
  if (controls.classWeights !== null) {
    return new OptionError(
      'class-weights',
      controls.classWeights,
      'cannot be combined with --dp: "balanced" weights are counts of the private labels (not covered by ε), and clipping undoes given ones',
    );
  }
  if (controls.clipNorm !== null) {
    return new OptionError('clip-norm', controls.clipNorm, 'cannot be combined with --dp: --dp-clip bounds each example instead');
  }
  if (dataset?.stream) {
    return new OptionError(
      'stream',
      true,
      'cannot be combined with --dp: Poisson sampling draws from every training row, so they must fit in memory',
    );
  }
  return null;
}

/**
 * --dp and its settings, checked: the --dp-* options mean nothing without --dp, and --dp refuses
 * options that would break its guarantee. σ and δ stay null when not given (solved and defaulted
 * once the training rows are known). Null without --dp.
 */
export function resolvePrivacy(
  args: TrainArgs,
  controls: Pick<TrainConfig, 'clipNorm' | 'classWeights'>,
  dataset: TabularOptions | null,
): PrivacyRequest | null {
  const given = { 'dp-clip': args.dpClip, 'dp-noise': args.dpNoise, 'dp-epsilon': args.dpEpsilon, 'dp-delta': args.dpDelta };
  if (!args.dp) {
    const stray = Object.entries(given).find(([, v]) => v !== undefined);
    if (stray) throw new OptionError(stray[0], stray[1], 'only --dp uses it');
    return null;
  }
  const request: PrivacyRequest = {
    clipNorm: checkOption('dp-clip', args.dpClip) ?? DEFAULT_DP_CLIP,
    noiseMultiplier: checkOption('dp-noise', args.dpNoise),
    epsilon: checkOption('dp-epsilon', args.dpEpsilon),
    delta: checkOption('dp-delta', args.dpDelta),
  };
  const refusal = incompatible(controls, dataset);
  if (refusal) throw refusal;
  return request;
}

/**
 * The private run as it will train, once the training rows are known (δ, σ and the epochs the
 * budget allows; see core's planPrivateRun); a budget out of reach is an OptionError naming the σ
 * it needs. Null without --dp.
 */
export function planPrivacy(config: TrainConfig, trainRows: number): PrivacyPlan | null {
  if (config.privacy === null) return null;
  try {
    return planPrivateRun(config.privacy, { rows: trainRows, batchSize: config.batchSize, epochs: config.epochs });
  } catch (e) {
    if (!(e instanceof PrivacyBudgetError)) throw e;
    const f = e.fields as { epsilon: number; noiseMultiplier: number | null; spentByOneEpoch: number | null; neededNoise: number };
    const reason =
      f.noiseMultiplier === null
        ? `cannot be reached in ${config.epochs} epochs with any --dp-noise up to 1000`
        : `cannot be reached: one epoch with --dp-noise ${f.noiseMultiplier} already spends ε = ${f.spentByOneEpoch}; it would need --dp-noise ${f.neededNoise} or more (or leave --dp-noise out to solve it)`;
    throw new OptionError('dp-epsilon', f.epsilon, reason);
  }
}

/** What a private run tells the user before training: its settings, a budget's cut, what ε does not cover. */
export function privacyNotices(plan: PrivacyPlan, preprocessed: boolean): string[] {
  const eps = (x: number) => x.toPrecision(3);
  const notices = [
    `--dp: C = ${plan.clipNorm}, σ = ${plan.noiseMultiplier}, q = ${plan.q.toPrecision(3)} (Poisson sampling), ` +
      `δ = ${plan.delta.toPrecision(3)}${plan.deltaFrom === '1/rows' ? ' (1 / training rows)' : ''}; ` +
      `ε after ${plan.epochs} epochs: ${eps(epsilonAfter(plan, plan.epochs))}`,
  ];
  if (plan.epochs < plan.requestedEpochs) {
    notices.push(
      `--dp-epsilon ${plan.epsilonBudget}: training stops after epoch ${plan.epochs} of ${plan.requestedEpochs}; epoch ${plan.epochs + 1} would spend ε = ${eps(epsilonAfter(plan, plan.epochs + 1))}`,
    );
  }
  if (preprocessed) {
    notices.push(
      '--dp: the preprocessing statistics (scaling, imputed values, category lists) were fitted on the private rows without noise and are not covered by ε',
    );
  }
  return notices;
}
