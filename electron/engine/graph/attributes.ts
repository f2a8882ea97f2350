/** Converts ONNX node attributes into the typed, readable attribute DTOs of the inspector. */
import type { AttributeDto, AttributeValue, SubgraphRefDto } from '../../../shared/graph/graph-dto';
import { dtypeName } from '../onnx/dtypes';
import { AttributeType, type AttributeProto, type GraphProto, type TensorProto } from '../onnx/proto';
import { elementCount, tensorStrings, tensorValues } from '../onnx/tensor-data';
import { typeInfo } from '../analysis/summary';
import { countSubgraphNodes } from '../onnx/walk';

const PREVIEW = 16;
const MAX_LIST = 256;
const decoder = new TextDecoder();

/** @returns the reference to a nested graph, with its node count (nested ones included). */
export function subgraphRef(g: GraphProto, attribute: string, index: number): SubgraphRefDto {
  return { attribute, index, name: g.name || attribute, nodeCount: g.node.length + countSubgraphNodes(g) };
}

/** @returns up to `PREVIEW` values of a small tensor, as numbers or strings; [] when unreadable. */
export function tensorPreview(t: TensorProto, max = PREVIEW): Array<number | string> {
  try {
    if (t.dataType === 8) return tensorStrings(t).slice(0, max);
    const values = tensorValues(t);
    const out: number[] = [];
    for (let i = 0; i < Math.min(max, values.length); i++) out.push(Number(values[i]));
    return out;
  } catch {
    return [];
  }
}

function tensorValue(t: TensorProto): AttributeValue {
  let elements = 0;
  try {
    elements = elementCount(t);
  } catch {
    elements = 0;
  }
  return { type: 'tensor', dtype: dtypeName(t.dataType), shape: t.dims.map(Number), preview: tensorPreview(t), elements };
}

/**
 * @param attr - the attribute
 * @returns its DTO; long lists are cut at 256 values
 */
export function attributeDto(attr: AttributeProto): AttributeDto {
  const dto: AttributeDto = { name: attr.name, value: attributeValue(attr) };
  if (attr.docString) dto.docString = attr.docString;
  return dto;
}

function attributeValue(attr: AttributeProto): AttributeValue {
  if (attr.refAttrName) return { type: 'ref', value: attr.refAttrName };
  switch (attr.type) {
    case AttributeType.FLOAT:
      return { type: 'float', value: attr.f };
    case AttributeType.INT:
      return { type: 'int', value: Number(attr.i) };
    case AttributeType.STRING:
      return { type: 'string', value: decoder.decode(attr.s) };
    case AttributeType.FLOATS:
      return { type: 'floats', value: attr.floats.slice(0, MAX_LIST) };
    case AttributeType.INTS:
      return { type: 'ints', value: attr.ints.slice(0, MAX_LIST).map(Number) };
    case AttributeType.STRINGS:
      return { type: 'strings', value: attr.strings.slice(0, MAX_LIST).map((s) => decoder.decode(s)) };
    case AttributeType.TENSOR:
      return attr.t ? tensorValue(attr.t) : { type: 'undefined' };
    case AttributeType.TENSORS:
      return { type: 'tensors', count: attr.tensors.length };
    case AttributeType.GRAPH:
      return attr.g ? { type: 'graph', subgraph: subgraphRef(attr.g, attr.name, 0) } : { type: 'undefined' };
    case AttributeType.GRAPHS:
      return { type: 'graphs', subgraphs: attr.graphs.map((g, i) => subgraphRef(g, attr.name, i)) };
    case AttributeType.SPARSE_TENSOR:
      return { type: 'sparse_tensor', dtype: dtypeName(attr.sparseTensor?.values?.dataType ?? 0), shape: (attr.sparseTensor?.dims ?? []).map(Number) };
    case AttributeType.TYPE_PROTO: {
      const info = typeInfo(attr.tp);
      return { type: 'type_proto', value: `${info.dtype}${info.shape ? `[${info.shape.join(',')}]` : ''}` };
    }
    default:
      return inferValue(attr);
  }
}

/** Attributes written without a type (old exporters): guess from which field is set. */
function inferValue(attr: AttributeProto): AttributeValue {
  if (attr.ints.length) return { type: 'ints', value: attr.ints.slice(0, MAX_LIST).map(Number) };
  if (attr.floats.length) return { type: 'floats', value: attr.floats.slice(0, MAX_LIST) };
  if (attr.t) return tensorValue(attr.t);
  if (attr.g) return { type: 'graph', subgraph: subgraphRef(attr.g, attr.name, 0) };
  if (attr.s.length) return { type: 'string', value: decoder.decode(attr.s) };
  if (attr.i !== 0n) return { type: 'int', value: Number(attr.i) };
  if (attr.f !== 0) return { type: 'float', value: attr.f };
  return { type: 'undefined' };
}
