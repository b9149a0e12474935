import type { InferenceSession, Tensor } from 'onnxruntime-common';

/**
 * The one seam between onnx-mlp and an ONNX Runtime: the `onnxruntime-node` or `onnxruntime-web`
 * module itself satisfies it (`import * as ort from 'onnxruntime-node'`). Core never imports one.
 */
export interface OrtRuntime {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: typeof Tensor;
}

export type { InferenceSession, Tensor };
