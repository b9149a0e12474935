import { sumToShape } from './sum-to-shape.js';
import { DataType } from '../ir/dtype.js';
import type { Attributes, Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { ShapeError, floatAttr, intAttr } from './shape-rules.js';

const int = (value: number) => ({ kind: 'int', value }) as const;
const float = (value: number) => ({ kind: 'float', value }) as const;

function matrix(v: Value, op: string, role: string): void {
  if (v.shape.length !== 2) throw new ShapeError(`${op}: ${role} ${v.name} must be 2-D, got [${v.shape}]`);
}

// MatMul of two matrices, or of a vector and a matrix (numpy's rules: the vector's missing axis
// is added for the product and dropped from the result). The vector form is how a gradient sums a
// matrix's rows: ones[N] x g[N, H] (sumToShape), one MLAS product where ReduceSum is slower.
defineOp({
  opType: 'MatMul',
  infer: ([a, b]) => {
    const ranks = `${a!.shape.length}${b!.shape.length}`;
    if (ranks === '12') return [{ dtype: a!.dtype, shape: [b!.shape[1]!] }];
    if (ranks === '21') return [{ dtype: a!.dtype, shape: [a!.shape[0]!] }];
    matrix(a!, 'MatMul', 'A');
    matrix(b!, 'MatMul', 'B');
    return [{ dtype: a!.dtype, shape: [a!.shape[0]!, b!.shape[1]!] }];
  },
  // Matrices: dA = dY B^T, dB = A^T dY, each as one Gemm so no Transpose node is needed. With a
  // vector operand, its gradient is a vector product and the matrix's an outer product.
  gradient: ({ b, inputs: [a, w], dy: [g], wants }) => {
    const column = (v: Value) => b.op('Unsqueeze', [v, b.constant([1], DataType.INT64)]);
    const row = (v: Value) => b.op('Unsqueeze', [v, b.constant([0], DataType.INT64)]);
    const outer = (u: Value, v: Value) => b.op('Gemm', [column(u), row(v)]);
    const [dA, dB]: [() => Value, () => Value] =
      a!.shape.length === 1
        ? [() => b.op('MatMul', [w, g]), () => outer(a!, g!)]
        : w!.shape.length === 1
          ? [() => outer(g!, w!), () => b.op('MatMul', [g, a])]
          : [() => b.op('Gemm', [g, w], { transB: int(1) }), () => b.op('Gemm', [a, g], { transA: int(1) })];
    return [wants[0] ? dA() : undefined, wants[1] ? dB() : undefined];
  },
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
