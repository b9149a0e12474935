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
  /** A regression model's target standardisation, undone at the end of its graph ({center, scale}). */
  targetScaling: 'onnx_mlp.target_scaling',
  /** SHA-256 digests of the graph, weights and metadata (integrity.ts). */
  integrity: 'onnx_mlp.integrity',
  /** An Ed25519 signature of the integrity digest and the signing key's fingerprint. */
  signature: 'onnx_mlp.signature',
} as const;

/** The role of an onnx-mlp file, stored under META.kind. */
export type ArtifactKind = 'inference' | 'training' | 'training_epoch' | 'eval' | 'checkpoint' | 'preprocess';
