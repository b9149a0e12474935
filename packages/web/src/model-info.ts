// TODO(core): `onnx-mlp inspect` builds a fuller report in packages/cli/src/inspect/onnx-mlp.ts and
// report.ts (parameter checks, op counts, checkpoints); once that lives in core, `info` should be it.
import { type MlpSpec, type Model, type Preprocessing } from '@onnx-mlp/core';
import { ORT_TYPE, type Value } from '@onnx-mlp/core/ir';
import { layerName, layerShapes } from '@onnx-mlp/core/model';
import type { OnnxMlpMetadata } from './model-metadata.js';

/** One graph input or output. */
export interface TensorInfo {
  readonly name: string;
  /** onnxruntime's type name (float32, int64…), or `type N` for other ONNX element types. */
  readonly dtype: string;
  /** Dimensions; a string is a symbolic one (the batch). */
  readonly shape: readonly (number | string)[];
}

/** One dense layer, input side first. */
export interface LayerInfo {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** The hidden activation, or what the output layer feeds (softmax, sigmoid, linear). */
  readonly activation: string;
  readonly parameters: number;
}

/** What `onnx-mlp inspect` shows about a model, as data. */
export interface ModelInfo {
  /** Size of the model file in bytes. */
  readonly bytes: number;
  readonly producer: string;
  readonly irVersion: number;
  readonly opset: number | null;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly nodes: number;
  /** Every metadata_props entry, as stored. */
  readonly metadata: Readonly<Record<string, string>>;
  /** onnx-mlp's facts; null for a model onnx-mlp did not make. */
  readonly onnxMlp: {
    readonly task: string;
    readonly spec: MlpSpec;
    readonly layers: readonly LayerInfo[];
    readonly parameters: number;
    readonly classNames: readonly string[] | null;
    readonly preprocessing: Preprocessing | null;
    /** Metadata onnx_mlp.training: data, label, epochs, optimizer, seed, test score… */
    readonly training: Readonly<Record<string, unknown>>;
  } | null;
}

function tensorInfo(v: Value): TensorInfo {
  return { name: v.name, dtype: ORT_TYPE[v.dtype] ?? `type ${v.dtype}`, shape: [...v.shape] };
}

/** The dense layers of a spec (what inspect's layer table lists). */
function layersOf(spec: MlpSpec): LayerInfo[] {
  const shapes = layerShapes(spec);
  const output = spec.task === 'multiclass' ? 'softmax' : spec.task === 'binary' ? 'sigmoid' : 'linear';
  return shapes.map(([inputs, outputs], i) => ({
    name: layerName(i, shapes.length),
    inputs,
    outputs,
    activation: i === shapes.length - 1 ? output : spec.activation,
    parameters: inputs * outputs + outputs,
  }));
}

/** The model's description: graph inputs/outputs and, for onnx-mlp models, layers, classes, preprocessing and training facts. */
export function modelInfo(model: Model, bytes: number, meta: OnnxMlpMetadata | null): ModelInfo {
  const layers = meta ? layersOf(meta.spec) : [];
  const initializers = new Set(model.graph.initializers.keys());
  return {
    bytes,
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    irVersion: model.irVersion,
    opset: model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? null,
    inputs: model.graph.inputs.filter((v) => !initializers.has(v.name)).map(tensorInfo),
    outputs: model.graph.outputs.map(tensorInfo),
    nodes: model.graph.nodes.length,
    metadata: Object.fromEntries(model.metadata),
    onnxMlp: meta && {
      task: meta.task,
      spec: meta.spec,
      layers,
      parameters: layers.reduce((n, l) => n + l.parameters, 0),
      classNames: meta.task === 'regression' ? null : meta.classNames,
      preprocessing: meta.preprocessing,
      training: meta.training,
    },
  };
}
