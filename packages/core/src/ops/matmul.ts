import { sumToShape } from './sum-to-shape.js';
import type { Attributes, Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { ShapeError, floatAttr, intAttr } from './shape-rules.js';

const int = (value: number) => ({ kind: 'int', value }) as const;
const float = (value: number) => ({ kind: 'float', value }) as const;

function matrix(v: Value, op: string, role: string): void {
  if (v.shape.length !== 2) throw new ShapeError(`${op}: ${role} ${v.name} must be 2-D, got [${v.shape}]`);
}

defineOp({
  opType: 'MatMul',
  infer: ([a, b]) => {
    matrix(a!, 'MatMul', 'A');
    matrix(b!, 'MatMul', 'B');
    return [{ dtype: a!.dtype, shape: [a!.shape[0]!, b!.shape[1]!] }];
  },
  // dA = dY B^T, dB = A^T dY, each as one Gemm so no Transpose node is needed.
  gradient: ({ b, inputs: [a, w], dy: [g], wants }) => [
    wants[0] ? b.op('Gemm', [g, w], { transB: int(1) }) : undefined,
    wants[1] ? b.op('Gemm', [a, g], { transA: int(1) }) : undefined,
  ],
});

defineOp({
  opType: 'Gemm',
  infer: ([a, b], attrs) => {
    matrix(a!, 'Gemm', 'A');
    matrix(b!, 'Gemm', 'B');
    const m = intAttr(attrs, 'transA', 0) ? a!.shape[1]! : a!.shape[0]!;
    const n = intAttr(attrs, 'transB', 0) ? b!.shape[0]! : b!.shape[1]!;
    return [{ dtype: a!.dtype, shape: [m, n] }];
  },
  // Y = alpha op(A) op(B) + beta C. Each transpose case has its own pair of Gemms.
  gradient: ({ b, inputs: [a, w, c], attrs, dy: [g], wants }) => {
    const alpha = floatAttr(attrs, 'alpha', 1);
    const beta = floatAttr(attrs, 'beta', 1);
    const tA = intAttr(attrs, 'transA', 0);
    const tB = intAttr(attrs, 'transB', 0);
    const gemm = (x: Value, y: Value, ta: number, tb: number) => {
      const at: Attributes = {
        ...(ta ? { transA: int(1) } : {}),
        ...(tb ? { transB: int(1) } : {}),
        ...(alpha !== 1 ? { alpha: float(alpha) } : {}),
      };
      return b.op('Gemm', [x, y], at);
    };
    // [grad A, grad B] per (transA, transB). For Y = A B: dA = dY B^T, dB = A^T dY; a transposed
    // operand's gradient is the transpose of that, which Gemm's own flags express.
    const table: Record<string, [() => Value, () => Value]> = {
      '00': [() => gemm(g!, w!, 0, 1), () => gemm(a!, g!, 1, 0)],
      '01': [() => gemm(g!, w!, 0, 0), () => gemm(g!, a!, 1, 0)],
      '10': [() => gemm(w!, g!, 0, 1), () => gemm(a!, g!, 0, 0)],
      '11': [() => gemm(w!, g!, 1, 1), () => gemm(g!, a!, 1, 1)],
    };
    const [dA, dB] = table[`${tA}${tB}`]!;
    let dC: Value | undefined;
    if (c && wants[2]) {
      const scaled = beta === 1 ? g! : b.op('Mul', [g, b.constant(beta, g!.dtype)]);
      dC = sumToShape(b, scaled, c.shape);
    }
    return [wants[0] ? dA() : undefined, wants[1] ? dB() : undefined, dC];
  },
});
