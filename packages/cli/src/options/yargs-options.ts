import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import type { ConfigFileOption } from './config-file.js';
import type { OptionSpec } from './option-spec.js';

/**
 * yargs' declaration of a table's options, each under its --help group. Every option but a boolean
 * needs a value; a list is a comma-separated string. Global options (declared by main.ts) are left
 * out; the option named `config` reads its file through `configFile`.
 */
export function yargsOptions(table: readonly OptionSpec[], configFile?: ConfigFileOption): Record<string, Options> {
  const declared = table
    .filter((o) => !o.global)
    .map((o): [string, Options] => [
      o.name,
      {
        type: o.kind === 'list' ? 'string' : o.kind,
        ...(o.kind !== 'boolean' ? { requiresArg: true } : {}),
        ...(o.default !== undefined ? { default: o.default } : {}),
        ...(o.defaultDescription !== undefined ? { defaultDescription: o.defaultDescription } : {}),
        describe: o.describe,
        group: o.group,
        ...(o.name === 'config' && configFile ? { config: true, configParser: configFile.parse } : {}),
      },
    ]);
  return Object.fromEntries(declared);
}

/**
 * yargs' `.check()` of the values' types: yargs turns `--epochs ten` into NaN; that is a malformed
 * command line (exit 2), unlike an out-of-range number, which the command's own checks report as a
 * bad value (exit 1).
 */
export function typeCheck(table: readonly OptionSpec[]): (argv: Readonly<Record<string, unknown>>) => true {
  const numbers = table.filter((o) => o.kind === 'number').map((o) => o.name);
  const strings = table.filter((o) => o.kind === 'string' || o.kind === 'list').map((o) => o.name);
  return (argv) => {
    for (const name of numbers) {
      const value = argv[name];
      if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) throw new UsageError(`--${name} expects a number`);
    }
    for (const name of strings) {
      if (argv[name] !== undefined && typeof argv[name] !== 'string') throw new UsageError(`--${name} expects a value`);
    }
    return true;
  };
}
