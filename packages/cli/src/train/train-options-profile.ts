import type { OptionSpec } from '../options/option-spec.js';

const RUN = 'Options:';

/** The profiling option of train's option table (TRAIN_OPTIONS). */
export const TRAIN_PROFILE_OPTIONS = [
  {
    name: 'profile',
    kind: 'boolean',
    group: RUN,
    default: false,
    describe: "Trace every ONNX Runtime kernel into the run folder (profile_*.json) and print each op type's runs and time per epoch",
  },
] as const satisfies readonly OptionSpec[];
