import type { Model } from '../ir/graph.js';
import { DEFAULT_OPSET } from '../ir/graph.js';
import { ExplainError } from './explain-error.js';

/**
 * Ops whose inputs or attributes changed form at an opset: the replay types them (and the gradient
 * rules emit them) in the form of opsets 13 to 17, so a model outside that range that uses one is
 * refused rather than silently misread.
 */
const CHANGED_FORM: Readonly<Record<string, readonly [number, number]>> = {
  Unsqueeze: [13, 9999],
  Squeeze: [13, 9999],
  ReduceSum: [13, 9999],
  ReduceMean: [1, 17],
  Split: [13, 17],
};

/** The model's default-domain opset; throws ExplainError naming an op whose form that opset changes. */
export function checkOpset(model: Model): number {
  const opset = model.opsetImports.get('') ?? model.opsetImports.get('ai.onnx') ?? DEFAULT_OPSET;
  for (const node of model.graph.nodes) {
    if (node.domain && node.domain !== 'ai.onnx') {
      throw new ExplainError(`op ${node.domain}.${node.opType} is not a standard ONNX op: it has no gradient rule`, { op: node.opType });
    }
    const range = CHANGED_FORM[node.opType];
    if (range && (opset < range[0] || opset > range[1])) {
      throw new ExplainError(
        `op ${node.opType} at opset ${opset} has a form explain does not read (opsets ${range[0]} to ${Math.min(range[1], 99)} do)`,
        {
          op: node.opType,
          opset,
        },
      );
    }
  }
  return opset;
}

/** The explain model's opset: the model's own from 13 up (the ops emitted mean the same there), else 17. */
export function explainOpset(opset: number): number {
  return opset >= 13 ? opset : DEFAULT_OPSET;
}
