import { DataType } from './dtype.js';
import type { Attribute, Graph, Shape, Value } from './graph.js';

const TYPE_NAMES: Record<DataType, string> = {
  [DataType.FLOAT]: 'float',
  [DataType.UINT8]: 'uint8',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.BOOL]: 'bool',
  [DataType.DOUBLE]: 'double',
};

function typeOf(dtype: DataType, shape: Shape): string {
  return `${TYPE_NAMES[dtype] ?? `type${dtype}`}[${shape.join(',')}]`;
}

function valueText(v: Value): string {
  return `${v.name}: ${typeOf(v.dtype, v.shape)}`;
}

function attrText(a: Attribute): string {
  switch (a.kind) {
    case 'tensor':
      return `tensor[${a.value.dims.join(',')}]`;
    case 'graph':
      return `graph ${a.value.name}`;
    case 'ints':
    case 'floats':
      return `[${a.value.join(',')}]`;
    case 'string':
      return JSON.stringify(a.value);
    default:
      return String(a.value);
  }
}

/**
 * A readable listing of a graph, one node a line in execution order (onnx-ir's printer idea):
 * for debugging, for error messages and for `inspect`.
 */
export function printGraph(g: Graph): string {
  const lines = [`graph ${g.name} (`];
  for (const v of g.inputs) lines.push(`    ${valueText(v)}`);
  lines.push(') -> (');
  for (const v of g.outputs) lines.push(`    ${valueText(v)}`);
  lines.push(')');
  for (const [name, t] of g.initializers) lines.push(`  init ${name}: ${typeOf(t.dtype, t.dims)}`);
  for (const n of g.nodes) {
    const attrs = Object.entries(n.attributes).map(([k, a]) => `${k}=${attrText(a)}`);
    const args = n.inputs.map((i) => i || '<none>').join(', ');
    lines.push(`  ${n.outputs.join(', ')} = ${n.opType}${attrs.length ? `<${attrs.join(', ')}>` : ''}(${args})`);
  }
  return lines.join('\n');
}
