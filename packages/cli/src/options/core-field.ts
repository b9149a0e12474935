import { InvalidArgumentError } from '@onnx-mlp/core';
import { OptionError } from '../errors.js';

/**
 * Runs a core constructor (mlpSpec, optimizerConfig) and re-raises its InvalidArgumentError as an
 * OptionError naming the command-line option the bad field came from, so the user sees `--lr -1`
 * rather than core's `learningRate = -1`.
 */
export function asOptions<T>(options: Readonly<Record<string, { option: string; value: unknown }>>, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    const source = options[e.field.replace(/\[\d+\]$/, '')];
    if (!source) throw e;
    throw new OptionError(source.option, source.value, reasonOf(e));
  }
}

/** Core's reason, with the element named when the field is one element of a list. */
function reasonOf(e: InvalidArgumentError): string {
  const { reason } = e;
  // For one layer of a list, say which: `hidden[0]` must be a positive integer.
  return /\[\d+\]$/.test(e.field) ? `${e.field} = ${JSON.stringify(e.value)} ${reason}` : reason;
}
