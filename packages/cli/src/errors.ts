/**
 * Errors the CLI raises itself. main.ts maps them (and core's typed errors) to exit codes:
 * UsageError is 2, everything the user can fix by changing a value or a file is 1.
 */

import { echo, quoted } from './io/echo.js';

/** Something the user asked for that cannot be done as asked (a value, an existing file): exit 1. */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** A command-line option whose value is out of range or meaningless; the message names both. */
export class OptionError extends UserError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`--${option} ${formatValue(value)}: ${reason}`);
    this.name = 'OptionError';
  }
}

/** A command line yargs rejected: unknown flag or command, wrong value type (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'string') return /^[\w.,:/+-]+$/.test(value) ? echo(value) : quoted(value);
  return String(value);
}
