import type { OptionSpec } from '../options/option-spec.js';
import { fraction, nonNegative, optional, positive } from '../options/value-checks.js';

const PRIVACY = 'Differential privacy (DP-SGD):';

/** The differential-privacy group of train's option table (TRAIN_OPTIONS): --dp and its bound, noise and budget. */
export const TRAIN_PRIVACY_OPTIONS = [
  {
    name: 'dp',
    kind: 'boolean',
    group: PRIVACY,
    default: false,
    describe: 'Train with differential privacy: per-example clipping, Gaussian noise, Poisson-sampled batches; ε is reported',
  },
  {
    name: 'dp-clip',
    kind: 'number',
    group: PRIVACY,
    defaultDescription: '1',
    check: optional(positive),
    describe: "Bound C on each example's gradient L2 norm (with --dp)",
  },
  {
    name: 'dp-noise',
    kind: 'number',
    group: PRIVACY,
    defaultDescription: 'solved from --dp-epsilon, else 1',
    check: optional(nonNegative),
    describe: 'Noise multiplier σ: N(0, σ²C²) is added to each clipped sum (with --dp)',
  },
  {
    name: 'dp-epsilon',
    kind: 'number',
    group: PRIVACY,
    defaultDescription: 'no budget',
    check: optional(positive),
    describe: 'Privacy budget ε: without --dp-noise, σ is solved to spend at most it; with it, training stops before exceeding it',
  },
  {
    name: 'dp-delta',
    kind: 'number',
    group: PRIVACY,
    defaultDescription: '1 / training rows',
    check: optional(fraction(false)),
    describe: 'The δ that ε is reported for (with --dp)',
  },
] as const satisfies readonly OptionSpec[];
