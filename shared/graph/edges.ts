/** The edges of a graph DTO: one per (producer, consumer, tensor), weights folded into their consumers. */
import type { GraphDto } from './graph-dto';

/** An end of an edge: a node, a graph input, a graph output or a value from the enclosing graph's scope. */
export type EndpointId = string;

/** @returns the endpoint id of the node at DTO position `i`. */
export const nodeId = (i: number): EndpointId => `n${i}`;
/** @returns the endpoint id of graph input tensor `t`. */
export const inputId = (t: number): EndpointId => `i${t}`;
/** @returns the endpoint id of graph output tensor `t`. */
export const outputId = (t: number): EndpointId => `o${t}`;
/** @returns the endpoint id of outer-scope tensor `t` (subgraphs). */
export const outerId = (t: number): EndpointId => `u${t}`;

/** A directed edge carrying one tensor. */
export interface GraphEdge {
  source: EndpointId;
  target: EndpointId;
  tensor: number;
  /** the consumer reads it from a subgraph (outer-scope use), not as an explicit input */
  implicit: boolean;
}

/**
 * Lists the edges of a graph the way the view draws them (Netron's way): weights (initializers and folded Constant
 * values) are not edges; every other tensor gives one edge per consumer (and one to each graph output it is).
 * @param dto - the graph
 * @returns the edges; their count is the graph's `edgeCount`
 */
export function graphEdges(dto: Pick<GraphDto, 'nodes' | 'tensors' | 'outputs'>): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const { nodes, tensors } = dto;
  const sourceOf = (t: number): EndpointId | null => {
    const tensor = tensors[t];
    if (!tensor || tensor.kind === 'weight') return null;
    if (tensor.producer >= 0) return nodes[tensor.producer].folded ? null : nodeId(tensor.producer);
    if (tensor.kind === 'input') return inputId(t);
    if (tensor.kind === 'outer') return outerId(t);
    return null;
  };
  nodes.forEach((node, i) => {
    if (node.folded) return;
    const seen = new Set<number>();
    const add = (t: number, implicit: boolean) => {
      if (t < 0 || seen.has(t)) return;
      seen.add(t);
      const source = sourceOf(t);
      if (source !== null) edges.push({ source, target: nodeId(i), tensor: t, implicit });
    };
    for (const t of node.inputs) add(t, false);
    for (const t of node.implicitInputs) add(t, true);
  });
  const seenOut = new Set<number>();
  for (const t of dto.outputs) {
    if (seenOut.has(t)) continue;
    seenOut.add(t);
    const source = sourceOf(t);
    if (source !== null) edges.push({ source, target: outputId(t), tensor: t, implicit: false });
  }
  return edges;
}
