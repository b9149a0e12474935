// Importing this module registers every op onnx-mlp can emit, each with its gradient rule.
import './arithmetic.js';
import './unary.js';
import './activations.js';
import './selection.js';
import './softmax.js';
import './matmul.js';
import './reduce.js';
import './structure.js';
import './gather.js';
import './dropout.js';
import './split-concat.js';
import './loop.js';
import { installOpTable } from '../ir/op-table.js';
import { getOp } from './registry.js';

// Builders that are given no op table type their nodes with this registry.
installOpTable(getOp);

export { registeredOps, getOp, defineOp } from './registry.js';
export type { OpDef, GradientRule, GradientContext, OutputType } from './registry.js';
