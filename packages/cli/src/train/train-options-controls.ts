import { SCHEDULES } from '@onnx-mlp/core';
import type { OptionSpec } from '../options/option-spec.js';
import { integer, nonNegative, oneOf, optional, positive } from '../options/value-checks.js';
import { classWeightsOption } from './controls.js';

const CONTROLS = 'Training controls:';

/** The training-controls group of train's option table (TRAIN_OPTIONS): schedule, regularisation, early stopping. */
export const TRAIN_CONTROL_OPTIONS = [
  {
    name: 'schedule',
    kind: 'string',
    group: CONTROLS,
    default: 'constant',
    check: oneOf(SCHEDULES),
    describe: `Learning rate per step: ${SCHEDULES.join(' | ')} (step: x0.1 every third of the run; cosine: to 0 at the last step)`,
  },
  {
    name: 'warmup',
    kind: 'number',
    group: CONTROLS,
    default: 0,
    check: integer(0),
    describe: 'Ramp the learning rate up linearly over this many steps first',
  },
  {
    name: 'weight-decay',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: '0 (sgd, adam), 0.01 (adamw)',
    describe: 'L2 penalty (sgd, adam) or decoupled decay (adamw)',
  },
  { name: 'nesterov', kind: 'boolean', group: CONTROLS, defaultDescription: 'false', describe: 'Nesterov momentum (sgd with --momentum)' },
  {
    name: 'clip-norm',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: 'off',
    check: optional(positive),
    describe: 'Clip the gradients to this global L2 norm',
  },
  {
    name: 'class-weights',
    kind: 'list',
    group: CONTROLS,
    defaultDescription: 'off',
    check: classWeightsOption,
    describe: 'Loss weight per class, comma-separated in class order, or "balanced" (n / (classes x count))',
  },
  {
    name: 'early-stopping',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: 'off',
    check: integer(1),
    describe: "Stop when val_loss has not improved for this many epochs; keep the best epoch's weights",
  },
  {
    name: 'min-delta',
    kind: 'number',
    group: CONTROLS,
    defaultDescription: '0',
    check: nonNegative,
    describe: 'Smallest val_loss decrease that counts as an improvement (with --early-stopping)',
  },
] as const satisfies readonly OptionSpec[];
