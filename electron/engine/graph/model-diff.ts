/** The difference between two models' main graphs: nodes added, removed or changed (op, attributes, weights). */
import { toBinary } from '@bufbuild/protobuf';
import type { DiffChangeDto, ModelDiffDto } from '../../../shared/api/graph-api';
import { dtypeName } from '../onnx/dtypes';
import type { ExternalRef } from '../onnx/external-data';
import { isConstantNode, type Graph } from '../onnx/ir/graph';
import { AttributeProtoSchema, type AttributeProto, type NodeProto, type TensorProto } from '../onnx/proto';
import { tensorValues } from '../onnx/tensor-data';
import { attributeDto } from './attributes';

/** One side of the comparison. */
export interface DiffSide {
  modelId: string;
  fileName: string;
  graph: Graph;
  external: ReadonlyMap<TensorProto, ExternalRef>;
}

/**
 * Compares two graphs.
 * @param a - the reference model
 * @param b - the variant
 * @param onProgress - fraction of nodes compared
 * @returns the changes, removed and changed in A's order, then added in B's order
 */
export function diffGraphs(a: DiffSide, b: DiffSide, onProgress?: (fraction: number) => void): ModelDiffDto {
  const keysA = nodeKeys(a.graph.nodes);
  const keysB = nodeKeys(b.graph.nodes);
  const byKeyB = new Map<string, number>();
  keysB.forEach((k, i) => byKeyB.set(k, i));
  const matchedB = new Set<number>();
  const changes: DiffChangeDto[] = [];
  let unchanged = 0;
  a.graph.nodes.forEach((na, i) => {
    if (onProgress && i % 500 === 0) onProgress(i / Math.max(1, a.graph.nodes.length));
    const j = byKeyB.get(keysA[i]);
    if (j === undefined || matchedB.has(j)) {
      changes.push({ kind: 'removed', op: na.opType, nodeA: { name: label(na), fileIndex: i }, nodeB: null, details: [] });
      return;
    }
    matchedB.add(j);
    const nb = b.graph.nodes[j];
    const details = compareNodes(a, na, b, nb);
    if (details.length === 0) unchanged++;
    else changes.push({ kind: 'changed', op: nb.opType, nodeA: { name: label(na), fileIndex: i }, nodeB: { name: label(nb), fileIndex: j }, details });
  });
  b.graph.nodes.forEach((nb, j) => {
    if (!matchedB.has(j)) changes.push({ kind: 'added', op: nb.opType, nodeA: null, nodeB: { name: label(nb), fileIndex: j }, details: [] });
  });
  const count = (k: DiffChangeDto['kind']) => changes.filter((c) => c.kind === k).length;
  return {
    modelIdA: a.modelId,
    modelIdB: b.modelId,
    fileA: a.fileName,
    fileB: b.fileName,
    changes,
    counts: { added: count('added'), removed: count('removed'), changed: count('changed'), unchanged },
  };
}

function label(n: NodeProto): string {
  return n.name || `${n.opType} → ${n.output[0] ?? '?'}`;
}

/** Matching keys: the node name when unique, else its first output, else op type and ordinal. */
function nodeKeys(nodes: readonly NodeProto[]): string[] {
  const names = new Map<string, number>();
  for (const n of nodes) if (n.name) names.set(n.name, (names.get(n.name) ?? 0) + 1);
  const ordinal = new Map<string, number>();
  return nodes.map((n) => {
    if (n.name && names.get(n.name) === 1) return `name:${n.name}`;
    if (n.output[0]) return `out:${n.output[0]}`;
    const k = ordinal.get(n.opType) ?? 0;
    ordinal.set(n.opType, k + 1);
    return `op:${n.opType}#${k}`;
  });
}

function compareNodes(a: DiffSide, na: NodeProto, b: DiffSide, nb: NodeProto): string[] {
  const out: string[] = [];
  if (na.opType !== nb.opType || na.domain !== nb.domain) out.push(`op ${opName(na)} → ${opName(nb)}`);
  const attrsA = new Map(na.attribute.map((x) => [x.name, x]));
  const attrsB = new Map(nb.attribute.map((x) => [x.name, x]));
  for (const [name, x] of attrsA) {
    // a Constant's value is compared where it is read, as a weight of its consumers
    if (name === 'value' && isConstantNode(na) && isConstantNode(nb)) continue;
    const y = attrsB.get(name);
    if (!y) out.push(`attribute ${name} removed`);
    else if (!sameAttribute(x, y)) out.push(`attribute ${name}: ${attrText(x)} → ${attrText(y)}`);
  }
  for (const name of attrsB.keys()) if (!attrsA.has(name)) out.push(`attribute ${name} added: ${attrText(attrsB.get(name) as AttributeProto)}`);
  const n = Math.max(na.input.length, nb.input.length);
  for (let k = 0; k < n; k++) {
    const ta = na.input[k] ? a.graph.constantTensor(na.input[k]) : undefined;
    const tb = nb.input[k] ? b.graph.constantTensor(nb.input[k]) : undefined;
    if (!ta && !tb) continue;
    const name = nb.input[k] || na.input[k];
    if (!ta || !tb) {
      out.push(`input ${k} (${name}): ${ta ? 'weight' : 'computed'} → ${tb ? 'weight' : 'computed'}`);
      continue;
    }
    const change = compareWeights(ta, a.external, tb, b.external);
    if (change) out.push(`weight ${name}: ${change}`);
  }
  return out;
}

function opName(n: NodeProto): string {
  return n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
}

function sameAttribute(x: AttributeProto, y: AttributeProto): boolean {
  return bytesEqual(toBinary(AttributeProtoSchema, x), toBinary(AttributeProtoSchema, y));
}

function attrText(x: AttributeProto): string {
  const v = attributeDto(x).value;
  switch (v.type) {
    case 'tensor':
      return `${v.dtype} [${v.shape.join(',')}]`;
    case 'graph':
      return `graph (${v.subgraph.nodeCount} nodes)`;
    case 'graphs':
      return `${v.subgraphs.length} graphs`;
    case 'ints':
    case 'floats':
    case 'strings':
      return `[${v.value.slice(0, 8).join(',')}${v.value.length > 8 ? ',…' : ''}]`;
    case 'tensors':
      return `${v.count} tensors`;
    case 'undefined':
      return 'undefined';
    default:
      return 'value' in v ? String(v.value) : v.type;
  }
}

/** @returns a description of how two weights differ, or '' when they are equal. */
function compareWeights(ta: TensorProto, extA: ReadonlyMap<TensorProto, ExternalRef>, tb: TensorProto, extB: ReadonlyMap<TensorProto, ExternalRef>): string {
  if (ta.dataType !== tb.dataType) return `dtype ${dtypeName(ta.dataType)} → ${dtypeName(tb.dataType)}`;
  const da = ta.dims.map(Number);
  const db = tb.dims.map(Number);
  if (da.join(',') !== db.join(',')) return `shape [${da.join(',')}] → [${db.join(',')}]`;
  let va: ArrayLike<number | bigint>;
  let vb: ArrayLike<number | bigint>;
  try {
    va = tensorValues(ta, extA.get(ta));
    vb = tensorValues(tb, extB.get(tb));
  } catch {
    return bytesEqual(ta.rawData, tb.rawData) ? '' : 'stored data changed';
  }
  let changed = 0;
  let maxDelta = 0;
  for (let i = 0; i < va.length; i++) {
    if (va[i] !== vb[i] && !(Number.isNaN(va[i]) && Number.isNaN(vb[i]))) {
      changed++;
      const d = Math.abs(Number(va[i]) - Number(vb[i]));
      if (d > maxDelta) maxDelta = d;
    }
  }
  if (changed === 0) return '';
  return `values changed (${changed} of ${va.length} elements, max |Δ| ${maxDelta.toPrecision(3)})`;
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
