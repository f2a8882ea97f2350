/** Builds the graph DTO of one graph (main or nested) from the model IR: nodes in topological order, tensors, weights. */
import { chunkCountFor, type DimDto, type GraphDto, type NodeDto, type TensorDto } from '../../../shared/graph/graph-dto';
import { graphEdges } from '../../../shared/graph/edges';
import { typeInfo } from '../analysis/summary';
import { byteSize, dtypeName } from '../onnx/dtypes';
import type { ExternalRef } from '../onnx/external-data';
import { constantValueAttribute, isConstantNode, type Graph } from '../onnx/ir/graph';
import type { NodeProto, TensorProto } from '../onnx/proto';
import { elementCount } from '../onnx/tensor-data';
import { countSubgraphNodes } from '../onnx/walk';
import { attributeDto, subgraphRef } from './attributes';

/** What the builder needs besides the graph. */
export interface BuildContext {
  modelId: string;
  path: GraphDto['path'];
  breadcrumb: string[];
  external: ReadonlyMap<TensorProto, ExternalRef>;
}

/**
 * Builds the full DTO of a graph.
 * @param graph - the IR graph
 * @param ctx - ids and external data references
 * @returns the DTO with every node and tensor (the handler cuts it into chunks)
 */
export function buildGraphDto(graph: Graph, ctx: BuildContext): GraphDto {
  const order = safeOrder(graph);
  const position = new Map<NodeProto, number>();
  order.forEach((n, i) => position.set(n, i));
  const fileIndex = new Map<NodeProto, number>();
  graph.nodes.forEach((n, i) => fileIndex.set(n, i));

  const tensors: TensorDto[] = [];
  const byName = new Map<string, number>();
  const typeOf = new Map<string, { dtype: string; shape: DimDto[] | null }>();
  for (const v of [...graph.inputs, ...graph.valueInfo, ...graph.outputs]) {
    const info = typeInfo(v.type);
    if (!typeOf.has(v.name) || info.dtype !== 'unknown') typeOf.set(v.name, { dtype: info.dtype, shape: info.shape });
  }
  const add = (name: string, fill: Omit<TensorDto, 'name' | 'producer' | 'consumers' | 'dtype' | 'shape'> & Partial<TensorDto>): number => {
    const known = typeOf.get(name);
    const t: TensorDto = { name, dtype: known?.dtype ?? 'unknown', shape: known?.shape ?? null, producer: -1, consumers: [], ...fill };
    byName.set(name, tensors.length);
    tensors.push(t);
    return tensors.length - 1;
  };
  for (const v of graph.runtimeInputs()) if (!byName.has(v.name)) add(v.name, { kind: 'input' });
  for (const init of graph.initializers) {
    if (byName.has(init.name)) continue;
    add(init.name, { kind: 'weight', dtype: dtypeName(init.dataType), shape: init.dims.map(Number), weight: weightInfo(init, 'initializer', ctx.external) });
  }
  for (const node of order) {
    const value = isConstantNode(node) ? constantValueAttribute(node)?.t : undefined;
    for (const out of node.output) {
      if (out === '' || byName.has(out)) continue;
      const i = add(out, { kind: 'value' });
      if (value) {
        tensors[i].dtype = dtypeName(value.dataType);
        tensors[i].shape = value.dims.map(Number);
        tensors[i].weight = weightInfo(value, 'constant', ctx.external);
      }
    }
  }
  const ref = (name: string): number => {
    if (name === '') return -1;
    const known = byName.get(name);
    if (known !== undefined) return known;
    // not defined here: read from an enclosing graph (subgraphs) or dangling
    return add(name, { kind: graph.parent && graph.parent.isVisible(name) ? 'outer' : 'value' });
  };

  const outputNames = new Set(graph.outputs.map((o) => o.name));
  const nodes: NodeDto[] = order.map((node, i) => {
    const dto: NodeDto = {
      fileIndex: fileIndex.get(node) as number,
      name: node.name,
      op: node.opType,
      domain: node.domain,
      inputs: node.input.map(ref),
      outputs: node.output.map(ref),
      attributes: node.attribute.map(attributeDto),
      subgraphs: subgraphsOf(node),
      implicitInputs: graph.implicitInputs(node).map(ref),
    };
    if (node.docString) dto.docString = node.docString;
    for (const t of dto.outputs) if (t >= 0 && tensors[t].producer < 0) tensors[t].producer = i;
    const seen = new Set<number>();
    for (const t of dto.inputs) {
      if (t >= 0 && !seen.has(t)) {
        seen.add(t);
        tensors[t].consumers.push(i);
      }
    }
    return dto;
  });
  // Constant nodes whose values only feed nodes are folded into those nodes, like initializers
  let foldedCount = 0;
  nodes.forEach((dto, i) => {
    const node = order[i];
    if (!isConstantNode(node) || !constantValueAttribute(node)) return;
    if (dto.outputs.some((t) => t >= 0 && (outputNames.has(tensors[t].name) || tensors[t].consumers.length === 0))) return;
    dto.folded = true;
    foldedCount++;
  });
  const outputs = graph.outputs.map((o) => ref(o.name));
  for (const t of outputs) tensors[t].isOutput = true;
  const inputs = tensors.flatMap((t, i) => (t.kind === 'input' ? [i] : []));
  const dto: GraphDto = {
    modelId: ctx.modelId,
    path: ctx.path,
    breadcrumb: ctx.breadcrumb,
    name: graph.proto.name || ctx.breadcrumb[ctx.breadcrumb.length - 1],
    nodeCount: nodes.length,
    foldedCount,
    edgeCount: 0,
    tensorCount: tensors.length,
    subgraphNodeCount: countSubgraphNodes(graph.proto),
    inputs,
    outputs,
    chunkCount: chunkCountFor(nodes.length, tensors.length),
    nodes,
    tensors,
  };
  dto.edgeCount = graphEdges(dto).length;
  return dto;
}

function safeOrder(graph: Graph): NodeProto[] {
  if (isSorted(graph)) return graph.nodes;
  try {
    return graph.topologicalOrder();
  } catch {
    // a cyclic (corrupt) graph is still shown, in file order; the layout ignores backward edges
    return [...graph.nodes];
  }
}

/** @returns true when every node already comes after the producers of what it reads (ONNX asks exporters for that). */
function isSorted(graph: Graph): boolean {
  const produced = new Set<string>();
  for (const node of graph.nodes) {
    for (const name of node.input) if (name !== '' && !produced.has(name) && graph.producer(name)) return false;
    if (node.attribute.some((a) => a.g || a.graphs.length)) {
      for (const name of graph.implicitInputs(node)) if (!produced.has(name) && graph.producer(name)) return false;
    }
    for (const out of node.output) produced.add(out);
  }
  return true;
}

function subgraphsOf(node: NodeProto): NodeDto['subgraphs'] {
  const refs: NodeDto['subgraphs'] = [];
  for (const attr of node.attribute) {
    if (attr.g) refs.push(subgraphRef(attr.g, attr.name, 0));
    attr.graphs.forEach((g, i) => refs.push(subgraphRef(g, attr.name, i)));
  }
  return refs;
}

function weightInfo(t: TensorProto, source: 'initializer' | 'constant', external: ReadonlyMap<TensorProto, ExternalRef>): TensorDto['weight'] {
  let elements = 0;
  try {
    elements = elementCount(t);
  } catch {
    elements = 0;
  }
  return { source, elements, bytes: byteSize(t.dataType, elements), external: external.has(t) };
}
