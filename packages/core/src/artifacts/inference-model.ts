import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Model } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { emitLogits, emitPredictions } from '../model/forward.js';
import { TensorMap, parameterShapes } from '../model/parameters.js';
import type { MlpSpec } from '../model/spec.js';
import { META } from './metadata.js';
import { InvalidArgumentError } from '../errors.js';

/** What an inference model records about itself besides its weights. */
export interface InferenceInfo {
  /** Class names in output order, for classifiers. */
  readonly classNames?: readonly string[];
  /** Free-form training facts (data, epochs, accuracy) stored as JSON. */
  readonly training?: Record<string, unknown>;
}

/**
 * The deployable model: `input` [batch, inputs] float32 in; `probabilities` and `label`
 * (classifiers) or `prediction` (regression) out; weights as initializers; no training ops.
 */
export function buildInferenceModel(spec: MlpSpec, parameters: TensorMap, info: InferenceInfo = {}): Model {
  const b = new GraphBuilder('mlp');
  const x = b.input('input', DataType.FLOAT, ['batch', spec.inputs]);
  const params = new Map(parameterShapes(spec).map(([name, dims]) => {
    const t = parameters.get(name);
    if (!t || t.dims.join() !== dims.join()) {
      throw new InvalidArgumentError(`parameters.${name}`, t ? t.dims : null, `must be a tensor of shape [${dims}] for this spec`);
    }
    return [name, b.initializer(name, t)];
  }));
  emitPredictions(b, spec, emitLogits(b, spec, x, params, { training: false }));
  const meta: Record<string, string> = { [META.kind]: 'inference', [META.spec]: JSON.stringify(spec) };
  if (info.classNames) meta[META.classNames] = JSON.stringify(info.classNames);
  if (info.training) meta[META.training] = JSON.stringify(info.training);
  const arch = [spec.inputs, ...spec.hidden, spec.outputs].join('-');
  return makeModel(b.build(`MLP ${arch} (${spec.activation}) for ${spec.task}, made by onnx-mlp.`), {
    metadata: meta,
    docString: `onnx-mlp ${spec.task} MLP ${arch}`,
  });
}
