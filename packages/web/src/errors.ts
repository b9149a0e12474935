import { OnnxMlpError } from '@onnx-mlp/core';

/** What went wrong loading or running a model: one code per case a caller may want to handle. */
export type WebModelErrorCode =
  | 'fetch-failed' // the URL could not be fetched, or answered with an error status
  | 'not-onnx' // the bytes are not an ONNX model
  | 'not-onnx-mlp' // an ONNX model without onnx-mlp's metadata: records cannot be encoded
  | 'not-inference-model' // an onnx-mlp file that is not a model.onnx (a training graph, a checkpoint…)
  | 'unsupported-input' // a foreign model whose input is not a float matrix
  | 'missing-column' // a record lacks a column the model needs
  | 'bad-value' // a record's value does not fit its column (not a number, not a boolean)
  | 'bad-input' // predictArrays got the wrong number of values
  | 'not-explainable' // explain: an op without a gradient rule, or an input that is not a float matrix
  | 'runtime'; // ONNX Runtime refused the model or failed to start

/** A typed error from loadModel or a Model's methods; `code` says which case it is. */
export class WebModelError extends OnnxMlpError {
  declare readonly code: WebModelErrorCode;

  constructor(code: WebModelErrorCode, message: string, options?: ErrorOptions) {
    // A runtime failure is not something the caller's input caused; every other case is.
    super(message, { code, userError: code !== 'runtime', ...(options && 'cause' in options ? { cause: options.cause } : {}) });
    this.name = 'WebModelError';
  }
}

/** What went wrong in train / trainInThisThread. */
export type WebTrainErrorCode =
  | 'aborted' // the AbortSignal fired: no model is returned
  | 'bad-option' // an option is out of range or names no column
  | 'bad-data' // the data cannot be read or trained on (the message names the line and column)
  | 'diverged' // the loss became NaN or infinite
  | 'runtime' // ONNX Runtime failed (e.g. the .wasm could not be loaded)
  | 'worker'; // the worker could not start or died

/** A typed error from training; `code` says which case it is. */
export class WebTrainError extends OnnxMlpError {
  declare readonly code: WebTrainErrorCode;

  constructor(code: WebTrainErrorCode, message: string, options?: ErrorOptions) {
    const userError = code !== 'runtime' && code !== 'worker';
    super(message, { code, userError, ...(options && 'cause' in options ? { cause: options.cause } : {}) });
    this.name = 'WebTrainError';
  }
}
