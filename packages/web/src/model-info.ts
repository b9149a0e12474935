import type { MlpSpec, Model, Preprocessing } from '@onnx-mlp/core';
import { describeModel, layersOf } from '@onnx-mlp/core/inspect';
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

/** The model's description: graph inputs/outputs and, for onnx-mlp models, layers, classes, preprocessing and training facts (`onnx-mlp inspect`'s report). */
export function modelInfo(model: Model, bytes: number, meta: OnnxMlpMetadata | null): ModelInfo {
  const report = describeModel(model, { path: '', bytes });
  const initializers = new Set(model.graph.initializers.keys());
  // inspect's layers, as ModelInfo has always named them: the spec's activation name (no leaky_relu alpha), no dropout.
  const all = meta ? (report.layers ?? layersOf(meta.spec)) : [];
  const layers: LayerInfo[] = all.map(({ dropout: _, ...layer }, i) =>
    i < all.length - 1 ? { ...layer, activation: meta!.spec.activation } : layer,
  );
  const opset = report.opsets.find((o) => o.domain === 'ai.onnx')?.version ?? null;
  return {
    bytes,
    producer: `${report.producer.name} ${report.producer.version}`.trim(),
    irVersion: report.irVersion,
    opset,
    inputs: report.inputs.filter((v) => !initializers.has(v.name)),
    outputs: report.outputs,
    nodes: report.nodes.graph,
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
