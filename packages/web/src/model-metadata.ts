import type { Model } from '@onnx-mlp/core';
import { NotInferenceModelError, readInferenceMetadata, type InferenceMetadata } from '@onnx-mlp/core/inspect';
import { META } from '@onnx-mlp/core/internal';
import { DataType } from '@onnx-mlp/core/ir';
import { WebModelError } from './errors.js';

/** onnx-mlp's facts about a model.onnx, read from its metadata and checked against its graph (core's InferenceMetadata). */
export type OnnxMlpMetadata = InferenceMetadata;

/** A model not made by onnx-mlp: what predictArrays needs to run it. */
export interface ForeignModel {
  /** Its first graph input, if that is a float matrix [batch, width]; else null. */
  readonly input: { readonly name: string; readonly width: number | null } | null;
  readonly outputs: readonly string[];
}

/**
 * onnx-mlp's metadata of `model`, checked by core's readInferenceMetadata (as the CLI's predict checks
 * it); null for a model without onnx_mlp.kind (not made by onnx-mlp). An onnx-mlp file that is not a
 * model.onnx, or whose metadata does not fit its graph, is a WebModelError 'not-inference-model'.
 */
export function readOnnxMlpMetadata(model: Model, name: string): OnnxMlpMetadata | null {
  const kind = model.metadata.get(META.kind);
  if (kind === undefined) return null;
  if (kind !== 'inference') {
    throw new WebModelError('not-inference-model', `${name} is an onnx-mlp ${kind} file, not an inference model (a run's model.onnx)`);
  }
  try {
    return readInferenceMetadata(model);
  } catch (e) {
    if (e instanceof NotInferenceModelError) throw new WebModelError('not-inference-model', `${name} is ${e.what}`, { cause: e });
    throw e;
  }
}

/** What predictArrays needs to know about a model onnx-mlp did not make. */
export function describeForeignModel(model: Model): ForeignModel {
  const first = model.graph.inputs.find((v) => !model.graph.initializers.has(v.name));
  const matrix = first && first.dtype === DataType.FLOAT && first.shape.length === 2;
  const width = matrix && typeof first.shape[1] === 'number' ? first.shape[1] : null;
  return {
    input: matrix ? { name: first.name, width } : null,
    outputs: model.graph.outputs.map((v) => v.name),
  };
}
