/** A user-facing error about one named field (an option, a spec field, a data column). */
export class InvalidArgumentError extends Error {
  constructor(readonly field: string, readonly value: unknown, readonly reason: string) {
    super(`${field} = ${JSON.stringify(value)}: ${reason}`);
    this.name = 'InvalidArgumentError';
  }
}

/** Data that does not fit the model: wrong width, labels out of range, non-finite values. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
