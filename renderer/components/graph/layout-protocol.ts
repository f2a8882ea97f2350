/** What the graph view and its layout worker say over the RPC channel (shared/rpc): topics, the call, the laid-out view. */
import type { GraphChunkDto, GraphHeaderDto } from '../../../shared/graph/graph-dto';
import type { ViewEdge, ViewNode } from '../../../shared/graph/view-model';

/** What to lay out: which groups are open and how weights are drawn. */
export interface LayoutRequestOptions {
  /** group ids to show expanded; `initial` picks them within the budget; `all` expands everything */
  expanded: string[] | 'initial' | 'all';
  /** DTO positions of nodes that must be visible (their groups are expanded) */
  reveal?: number[];
  unfoldWeights: boolean;
  /** most boxes the initial expansion may show */
  budget?: number;
}

/** The worker's events and its one call. */
export const LAYOUT = {
  /** event: a new graph starts ({@link HeaderEvent}) */
  header: 'header',
  /** event: more nodes and tensors of the graph ({@link ChunkEvent}) */
  chunk: 'chunk',
  /** call: lays the loaded graph out ({@link LayoutCall}); answers a {@link LaidOutGraph} */
  layout: 'layout',
} as const;

/** A new graph for the worker. */
export interface HeaderEvent {
  key: string;
  header: GraphHeaderDto;
}

/** One more chunk of the graph `key`. */
export interface ChunkEvent {
  key: string;
  chunk: GraphChunkDto;
}

/** The params of the layout call. */
export interface LayoutCall {
  key: string;
  options: LayoutRequestOptions;
}

/** A box with its position, ready for cytoscape. */
export interface PlacedNode extends ViewNode {
  x: number;
  y: number;
  /** innermost expanded group of an op box ('' for none) */
  groupOf?: string;
}

/** An edge with the points it bends through. */
export interface PlacedEdge extends ViewEdge {
  bend?: number[];
}

/** An expanded group the UI can collapse again. */
export interface GroupInfo {
  id: string;
  label: string;
  parent: string | null;
  size: number;
}

/** The laid-out view. */
export interface LaidOutGraph {
  key: string;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  expanded: string[];
  groups: GroupInfo[];
  /** every group id, so the UI can tell whether there is anything to collapse */
  groupCount: number;
  representedNodes: number;
  representedEdges: number;
  /** DTO node position → index in `nodes` of the box showing it (its own, or its collapsed group's); -1 if folded */
  boxOfNode: Int32Array;
  width: number;
  height: number;
  layoutMs: number;
}
