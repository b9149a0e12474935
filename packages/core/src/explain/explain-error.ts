import { type ErrorFields, OnnxMlpError } from '../errors.js';

/** A model that cannot be explained: an op without a gradient rule, an input that is not a float matrix. */
export class ExplainError extends OnnxMlpError {
  constructor(message: string, fields: ErrorFields = {}) {
    super(message, { code: 'EXPLAIN', fields, userError: true });
    this.name = 'ExplainError';
  }
}
