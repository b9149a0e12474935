import { DataType } from '../ir/dtype.js';
import { targetType } from '../losses/task-loss.js';
import type { MlpSpec } from '../model/spec.js';

/** What a training-side model's `target` input takes (metadata onnx_mlp.target), in words a reader in any language can follow. */
export interface TargetLayout {
  readonly dtype: 'int64' | 'float32';
  /** Dimensions; "batch" is the batch size. */
  readonly shape: ReadonlyArray<string | number>;
  readonly meaning: string;
}

const MEANING = {
  multiclass: 'class index into onnx_mlp.class_names',
  binary: '1 for class_names[1], 0 for class_names[0]',
  regression: "the label's values, one column per output",
} as const;

/** The target layout of `spec`'s training, epoch and eval models. */
export function targetLayout(spec: MlpSpec): TargetLayout {
  const t = targetType(spec);
  return { dtype: t.dtype === DataType.INT64 ? 'int64' : 'float32', shape: t.shape, meaning: MEANING[spec.task] };
}
