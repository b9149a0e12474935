// @onnx-mlp/core/ops: the op registry, one entry per ONNX op with its shape and gradient rules.
// Loading this module registers every op onnx-mlp can emit; `defineOp` adds to that process-wide table.
export { registeredOps, getOp, defineOp } from '../ops/index.js';
export type { OpDef, GradientRule, GradientContext, OutputType } from '../ops/index.js';
export { ShapeError } from '../ops/shape-rules.js';
