import { expect, it } from 'vitest';
import { DataType, GraphBuilder, attr, printGraph } from '@onnx-mlp/core/ir';

it('prints a graph one node a line with types and attributes', () => {
  const b = new GraphBuilder('demo');
  const x = b.input('x', DataType.FLOAT, ['batch', 3]);
  const w = b.initializer('w', { dtype: DataType.FLOAT, dims: [3, 2], data: new Float32Array(6) });
  const y = b.scoped('layer', () => b.op('Gemm', [x, w], { alpha: attr.float(0.5) }));
  b.output(b.op('Relu', [y]), 'out');
  expect(printGraph(b.build())).toBe(
    [
      'graph demo (',
      '    x: float[batch,3]',
      ') -> (',
      '    out: float[batch,2]',
      ')',
      '  init w: float[3,2]',
      '  layer/gemm_0 = Gemm<alpha=0.5>(x, w)',
      '  relu_0 = Relu(layer/gemm_0)',
      '  out = Identity(relu_0)',
    ].join('\n'),
  );
});
