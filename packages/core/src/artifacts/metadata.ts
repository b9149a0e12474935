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
} as const;

/** The role of an onnx-mlp file, stored under META.kind. */
export type ArtifactKind = 'inference' | 'training' | 'training_epoch' | 'eval' | 'checkpoint' | 'preprocess';
