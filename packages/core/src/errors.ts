/** Facts about an error that a caller can word for its own interface (a flag, a form field). */
export type ErrorFields = Readonly<Record<string, unknown>>;

/** What every onnx-mlp error carries besides its message. */
export interface OnnxMlpErrorOptions {
  /** Stable identifier of the kind of failure, for callers that word or route errors. */
  readonly code: string;
  /** Structured facts (`option`, `value`, `column`, `file`, `line`, ...). @defaultValue {} */
  readonly fields?: ErrorFields;
  /** Whether the user can act on this from the message alone (a value, a file), not a bug. */
  readonly userError: boolean;
  /** The error this one reports, kept as the standard `cause`. */
  readonly cause?: unknown;
}

/**
 * The base of every error onnx-mlp's core throws: a stable `code`, structured `fields`, and
 * `userError`, so a front end decides how to report an error without a hand-kept list of classes.
 */
export class OnnxMlpError extends Error {
  readonly code: string;
  readonly fields: ErrorFields;
  readonly userError: boolean;

  constructor(message: string, options: OnnxMlpErrorOptions) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'OnnxMlpError';
    this.code = options.code;
    this.fields = options.fields ?? {};
    this.userError = options.userError;
  }
}

/** A user-facing error about one named field (an option, a spec field, a data column). */
export class InvalidArgumentError extends OnnxMlpError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${field} = ${JSON.stringify(value)}: ${reason}`, {
      code: 'INVALID_ARGUMENT',
      fields: { field, value, reason },
      userError: true,
    });
    this.name = 'InvalidArgumentError';
  }
}

/** Data that does not fit the model: wrong width, labels out of range, non-finite values. */
export class DataError extends OnnxMlpError {
  constructor(message: string, options: { code?: string; fields?: ErrorFields; cause?: unknown } = {}) {
    super(message, { code: 'DATA', ...options, userError: true });
    this.name = 'DataError';
  }
}
