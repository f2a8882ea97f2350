/** Readable text of typed attribute values for the inspector. */
import type { AttributeValue } from '../../../shared/graph/graph-dto';

/** @returns the value as text, and the type tag shown beside it. */
export function attributeText(v: AttributeValue): { text: string; type: string } {
  switch (v.type) {
    case 'float':
      return { text: String(v.value), type: 'float' };
    case 'int':
      return { text: String(v.value), type: 'int' };
    case 'string':
      return { text: JSON.stringify(v.value), type: 'string' };
    case 'floats':
      return { text: `[${v.value.join(', ')}]`, type: 'float[]' };
    case 'ints':
      return { text: `[${v.value.join(', ')}]`, type: 'int[]' };
    case 'strings':
      return { text: `[${v.value.map((s) => JSON.stringify(s)).join(', ')}]`, type: 'string[]' };
    case 'tensor':
      return {
        text: `${v.dtype} [${v.shape.join('×') || 'scalar'}]${v.preview.length ? ` = ${v.preview.slice(0, 8).join(', ')}${v.elements > 8 ? ', …' : ''}` : ''}`,
        type: 'tensor',
      };
    case 'tensors':
      return { text: `${v.count} tensors`, type: 'tensor[]' };
    case 'graph':
      return { text: `${v.subgraph.name} (${v.subgraph.nodeCount} nodes)`, type: 'graph' };
    case 'graphs':
      return { text: v.subgraphs.map((g) => `${g.name} (${g.nodeCount})`).join(', '), type: 'graph[]' };
    case 'sparse_tensor':
      return { text: `${v.dtype} [${v.shape.join('×')}]`, type: 'sparse' };
    case 'type_proto':
      return { text: v.value, type: 'type' };
    case 'ref':
      return { text: `→ ${v.value}`, type: 'ref' };
    default:
      return { text: '(undefined)', type: '?' };
  }
}
