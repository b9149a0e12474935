import type { OptionSpec, ValueCheck } from '../options/option-spec.js';
import { optional } from '../options/value-checks.js';
import { OptionError } from '../errors.js';

const CARD = 'Model card (stored in model.onnx; also a "card" object in --config):';

/** A statement for the card: any non-blank text, trimmed. */
const statement: ValueCheck<string, string> = (option, value) => {
  const text = value.trim();
  if (text === '') throw new OptionError(option, value, 'must not be blank (leave the option out instead)');
  return text;
};

/** The model-card group of train's option table (TRAIN_OPTIONS): what the trainer states about the model. */
export const TRAIN_CARD_OPTIONS = [
  {
    name: 'owner',
    kind: 'string',
    group: CARD,
    section: 'card',
    check: optional(statement),
    describe: 'Who answers for the model (a person, team or contact address)',
  },
  {
    name: 'intended-use',
    kind: 'string',
    group: CARD,
    section: 'card',
    check: optional(statement),
    describe: 'What the model is for, and for whom',
  },
  {
    name: 'limitations',
    kind: 'string',
    group: CARD,
    section: 'card',
    check: optional(statement),
    describe: 'Where it should not be used, known weaknesses',
  },
  {
    name: 'license',
    kind: 'string',
    group: CARD,
    section: 'card',
    check: optional(statement),
    describe: 'The license the model is released under (e.g. an SPDX identifier)',
  },
] as const satisfies readonly OptionSpec[];
