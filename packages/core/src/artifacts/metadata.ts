import type { Model } from '../ir/graph.js';

/** Keys of the metadata_props onnx-mlp writes, so readers and writers agree on one spelling. */
export const META = {
  kind: 'onnx_mlp.kind',
  spec: 'onnx_mlp.spec',
  optimizer: 'onnx_mlp.optimizer',
  parameters: 'onnx_mlp.parameters',
  optimizerState: 'onnx_mlp.optimizer_state',
  classNames: 'onnx_mlp.class_names',
  training: 'onnx_mlp.training',
  checkpoint: 'onnx_mlp.checkpoint',
  preprocessing: 'onnx_mlp.preprocessing',
  /** How each layer's weight is stored: "in_out" ([in, out]) or "out_in" ([out, in], Gemm transB=1). */
  weightLayout: 'onnx_mlp.weight_layout',
  /** What a training-side model's `target` input takes: dtype, shape and meaning (target-layout.ts). */
  target: 'onnx_mlp.target',
  /** A regression model's target standardisation, undone at the end of its graph ({center, scale}). */
  targetScaling: 'onnx_mlp.target_scaling',
  /** SHA-256 digests of the graph, weights and metadata (integrity.ts). */
  integrity: 'onnx_mlp.integrity',
  /** An Ed25519 signature of the integrity digest and the signing key's fingerprint. */
  signature: 'onnx_mlp.signature',
  /** What an explain model explains (method, baseline, columns), as JSON. */
  explain: 'onnx_mlp.explain',
  /** Global importance: mean |attribution| per raw column on a held-out split, as JSON. */
  importance: 'onnx_mlp.importance',
  /** The model card's own facts: provenance, metrics, statements (model-card.ts). */
  card: 'onnx_mlp.card',
  /** A differentially private run's (ε, δ), clipping bound, noise, sampling rate, steps and accountant (privacy/). */
  privacy: 'onnx_mlp.privacy',
  /** How a caller marks missing cells when not as NaN in `input`: a second input (missing-input.ts), as JSON. */
  missingInput: 'onnx_mlp.missing_input',
  /** The model an export was made from: its integrity digest (and signing key), as JSON. */
  exportedFrom: 'onnx_mlp.exported_from',
} as const;

/** The role of an onnx-mlp file, stored under META.kind. */
export type ArtifactKind = 'inference' | 'training' | 'training_epoch' | 'eval' | 'checkpoint' | 'preprocess' | 'explain';

/**
 * Metadata entry `key` JSON-decoded, or undefined when it is absent or not JSON: for readers that
 * show what a file says (card, inspect) and must not fail on a malformed entry.
 */
export function metadataJson(model: Model, key: string): unknown {
  const text = model.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
