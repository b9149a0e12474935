import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Model, Value } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { emitLogits, emitPredictions } from '../model/forward.js';
import { type TensorMap, parameterShapes } from '../model/parameters.js';
import type { MlpSpec } from '../model/spec.js';
import { META } from './metadata.js';
import { transposeMatrix } from '../model/weight-layout.js';
import { emitPreprocess } from '../preprocess/emit.js';
import { emitMaskedPreprocess } from '../preprocess/emit-masked.js';
import { MASK_INPUT_DOCS, MASK_MISSING_INPUT, MISSING_INPUT_NAME, type MissingForm } from './missing-input.js';
import { type Preprocessing, featureWidth, validatePreprocessing } from '../preprocess/schema.js';
import { InvalidArgumentError } from '../errors.js';
import { emitTargetInverse, type TargetScaling } from '../preprocess/target-scaling.js';

/** What an inference model records about itself besides its weights. */
export interface InferenceInfo {
  /** Class names in output order, for classifiers. */
  readonly classNames?: readonly string[];
  /** Free-form training facts (data, epochs, accuracy) stored as JSON. */
  readonly training?: Record<string, unknown>;
  /**
   * Preprocessing to bake in front of the MLP: the model's input becomes the raw feature vector
   * (one value per column) and `spec.inputs` must equal its feature width.
   */
  readonly preprocessing?: Preprocessing;
  /** A differentially private run's guarantee (privacyFacts), stored as JSON. */
  readonly privacy?: Record<string, unknown>;
  /** Regression: the targets were standardised for training; the graph ends with the inverse (label units out). */
  readonly targetScaling?: TargetScaling;
  /**
   * How the caller marks missing cells (needs `preprocessing`): NaN in `input`, or a second input
   * `missing` (missing-input.ts), for runtimes that cannot test for NaN.
   * @defaultValue 'nan'
   */
  readonly missing?: MissingForm;
}

/**
 * The deployable model: `input` [batch, inputs] float32 in; `probabilities` and `label`
 * (classifiers) or `prediction` (regression) out; weights as initializers; no training ops.
 * `parameters` are [in, out] as trained; the file stores each weight as [out, in] with Gemm
 * transB=1 (metadata onnx_mlp.weight_layout "out_in"), the layout the most runtimes read right.
 */
export function buildInferenceModel(spec: MlpSpec, parameters: TensorMap, info: InferenceInfo = {}): Model {
  const b = new GraphBuilder('mlp');
  const pre = info.preprocessing;
  if (pre) {
    validatePreprocessing(pre);
    if (featureWidth(pre) !== spec.inputs) {
      throw new InvalidArgumentError(
        'preprocessing',
        featureWidth(pre),
        `gives ${featureWidth(pre)} features but spec.inputs is ${spec.inputs}`,
      );
    }
  }
  const x = emitInputs(b, spec, info);
  const params = new Map(
    parameterShapes(spec).map(([name, dims]) => {
      const t = parameters.get(name);
      if (!t || t.dims.join() !== dims.join()) {
        throw new InvalidArgumentError(`parameters.${name}`, t ? t.dims : null, `must be a tensor of shape [${dims}] for this spec`);
      }
      return [name, b.initializer(name, transposeMatrix(t))];
    }),
  );
  const logits = emitLogits(b, spec, { x, params }, { training: false, weightLayout: 'out_in' });
  const ts = spec.task === 'regression' ? info.targetScaling : undefined;
  // The mask form is for runtimes such as OpenCV 4.6, whose Mul does not broadcast the binary logit.
  const binaryPair = info.missing === 'mask' ? 'gemm' : 'mul';
  emitPredictions(b, spec, ts ? emitTargetInverse(b, logits, ts) : logits, { binaryPair });
  const meta: Record<string, string> = { [META.kind]: 'inference', [META.spec]: JSON.stringify(spec), [META.weightLayout]: 'out_in' };
  if (info.classNames) meta[META.classNames] = JSON.stringify(info.classNames);
  if (info.training) meta[META.training] = JSON.stringify(info.training);
  if (pre) meta[META.preprocessing] = JSON.stringify(pre);
  if (info.privacy) meta[META.privacy] = JSON.stringify(info.privacy);
  if (ts) meta[META.targetScaling] = JSON.stringify(ts);
  if (info.missing === 'mask') meta[META.missingInput] = JSON.stringify(MASK_MISSING_INPUT);
  const arch = [spec.inputs, ...spec.hidden, spec.outputs].join('-');
  return makeModel(b.build(`MLP ${arch} (${spec.activation}) for ${spec.task}, made by onnx-mlp.`), {
    metadata: meta,
    docString: `onnx-mlp ${spec.task} MLP ${arch}`,
  });
}

/** The graph's inputs and the MLP's features from them: the raw vector (and mask) through the preprocessing, if any. */
function emitInputs(b: GraphBuilder, spec: MlpSpec, info: InferenceInfo): Value {
  const pre = info.preprocessing;
  if (info.missing === 'mask') {
    if (!pre)
      throw new InvalidArgumentError(
        'missing',
        info.missing,
        'the mask form needs preprocessing (a model without it takes no missing cells)',
      );
    const shape = ['batch', pre.columns.length];
    const input = b.input('input', DataType.FLOAT, shape, MASK_INPUT_DOCS.input);
    const missing = b.input(MISSING_INPUT_NAME, DataType.FLOAT, shape, MASK_INPUT_DOCS.missing);
    return emitMaskedPreprocess(b, pre, { input, missing });
  }
  const raw = b.input('input', DataType.FLOAT, ['batch', pre ? pre.columns.length : spec.inputs]);
  return pre ? emitPreprocess(b, pre, raw) : raw;
}

/**
 * The preprocessing alone, raw [batch, columns] to `features` [batch, featureWidth]: training runs
 * its data through this graph, so training and serving share one arithmetic, node for node.
 */
export function buildPreprocessModel(p: Preprocessing): Model {
  validatePreprocessing(p);
  const b = new GraphBuilder('preprocess');
  const raw = b.input('input', DataType.FLOAT, ['batch', p.columns.length]);
  b.output(emitPreprocess(b, p, raw), 'features');
  return makeModel(b.build("Raw feature vector to the MLP's features: imputation, scaling, one-hot."), {
    metadata: { [META.kind]: 'preprocess', [META.preprocessing]: JSON.stringify(p) },
    docString: 'onnx-mlp preprocessing',
  });
}
