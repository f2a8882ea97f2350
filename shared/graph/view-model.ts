/** Turns a graph DTO into what the view draws: boxes (ops, inputs, outputs, collapsed groups) and edges, with labels and sizes. */
import { graphEdges, inputId, nodeId, outerId, outputId, type GraphEdge } from './edges';
import { shapeText, type GraphDto, type NodeDto, type TensorDto } from './graph-dto';
import type { GroupTree, NodeGroup } from './groups';
import { inputName, keyAttributeLines, opCategory, type OpCategory } from './op-category';

export type ViewNodeKind = 'op' | 'input' | 'output' | 'outer' | 'group' | 'weight';

/** A box on screen. */
export interface ViewNode {
  id: string;
  kind: ViewNodeKind;
  label: string;
  category: OpCategory | 'group' | 'weight';
  width: number;
  height: number;
  /** DTO position of an op node */
  node?: number;
  /** tensor position of an input, output, outer or weight box */
  tensor?: number;
  /** id of a collapsed group */
  group?: string;
  /** ONNX nodes this box stands for (1 for an op, the group's size for a group) */
  members: number;
}

/** A line on screen; edges between the same boxes are merged (count > 1) when groups are collapsed. */
export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  tensor: number;
  label: string;
  implicit: boolean;
  count: number;
}

export interface VisibleGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** ONNX nodes standing behind the boxes: op boxes plus the members of collapsed groups */
  representedNodes: number;
  /** edges of the full graph that the drawn edges stand for (merged and hidden inside groups included) */
  representedEdges: number;
}

export interface ViewOptions {
  /** expanded group ids; without a tree every node is shown */
  expanded?: ReadonlySet<string>;
  tree?: GroupTree;
  /** show weights as their own boxes instead of rows inside their consumer */
  unfoldWeights?: boolean;
}

const CHAR_W = 6.3;
const LINE_H = 13;
const PAD_X = 18;
const PAD_Y = 12;

function box(lines: string[], minWidth = 56): { width: number; height: number; label: string } {
  let max = 0;
  for (const l of lines) max = Math.max(max, l.length);
  return { width: Math.max(minWidth, Math.round(max * CHAR_W + PAD_X)), height: lines.length * LINE_H + PAD_Y, label: lines.join('\n') };
}

/** @returns `float32 1×64×56×56`, or the part that is known. */
export function tensorLabel(t: TensorDto | undefined): string {
  if (!t) return '';
  const s = shapeText(t.shape);
  return t.dtype === 'unknown' ? s : s ? `${t.dtype} ${s}` : t.dtype;
}

/** @returns the text lines on an op node's face: op, key attributes, folded weights, subgraphs. */
export function opLines(dto: Pick<GraphDto, 'tensors' | 'nodes'>, node: NodeDto, unfoldWeights = false): string[] {
  const lines = [node.op];
  lines.push(...keyAttributeLines(node.op, node.attributes));
  if (!unfoldWeights) {
    const weights: string[] = [];
    node.inputs.forEach((t, i) => {
      const tensor = dto.tensors[t];
      if (t < 0 || !tensor || !isWeight(dto, t)) return;
      weights.push(`${inputName(node.op, i)} ⟨${shapeText(tensor.shape) || '?'}⟩`);
    });
    if (weights.length > 3) lines.push(...weights.slice(0, 2), `+${weights.length - 2} weights`);
    else lines.push(...weights);
  }
  for (const s of node.subgraphs) lines.push(`▸ ${s.attribute}${s.index ? `[${s.index}]` : ''} · ${s.nodeCount} nodes`);
  return lines;
}

/** @returns true when tensor `t` is a stored weight (initializer or folded Constant value). */
export function isWeight(dto: Pick<GraphDto, 'tensors' | 'nodes'>, t: number): boolean {
  const tensor = dto.tensors[t];
  if (!tensor) return false;
  if (tensor.kind === 'weight') return true;
  return tensor.producer >= 0 && Boolean(dto.nodes[tensor.producer]?.folded);
}

function truncate(s: string, n = 36): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Builds the visible graph.
 * @param dto - the graph
 * @param options - expanded groups and weight display
 * @param edges - the graph's edges when already computed (see {@link graphEdges})
 */
export function buildView(dto: GraphDto, options: ViewOptions = {}, edges: GraphEdge[] = graphEdges(dto)): VisibleGraph {
  const nodes: ViewNode[] = [];
  const unitOf = new Map<string, string>();
  const tree = options.tree;
  const expanded = options.expanded;
  const groupUnit = tree && expanded ? unitResolver(tree, expanded) : null;
  const groupNodes = new Map<string, ViewNode>();

  for (const t of dto.inputs) {
    const tensor = dto.tensors[t];
    const b = box([truncate(tensor.name), tensorLabel(tensor)].filter(Boolean));
    nodes.push({ id: inputId(t), kind: 'input', category: 'io', tensor: t, members: 0, ...b });
  }
  const outerSeen = new Set<number>();
  for (const e of edges) {
    if (!e.source.startsWith('u')) continue;
    const t = e.tensor;
    if (outerSeen.has(t)) continue;
    outerSeen.add(t);
    const b = box([`outer: ${truncate(dto.tensors[t].name, 30)}`, tensorLabel(dto.tensors[t])].filter(Boolean));
    nodes.push({ id: outerId(t), kind: 'outer', category: 'io', tensor: t, members: 0, ...b });
  }
  let representedNodes = 0;
  dto.nodes.forEach((node, i) => {
    if (node.folded) return;
    representedNodes++;
    const unit = groupUnit ? groupUnit(i) : null;
    if (unit) {
      unitOf.set(nodeId(i), unit.id);
      if (!groupNodes.has(unit.id)) {
        const b = box([`▸ ${truncate(unit.label, 34)}`, `${unit.size} nodes`, opSummary(dto, tree as GroupTree, unit)], 90);
        const v: ViewNode = { id: `g:${unit.id}`, kind: 'group', category: 'group', group: unit.id, members: unit.size, ...b };
        groupNodes.set(unit.id, v);
        nodes.push(v);
      }
      return;
    }
    const b = box(opLines(dto, node, options.unfoldWeights), 56);
    nodes.push({ id: nodeId(i), kind: 'op', category: opCategory(node.op, node.domain), node: i, members: 1, ...b });
  });
  for (const t of dto.outputs) {
    if (nodes.some((n) => n.id === outputId(t))) continue;
    const tensor = dto.tensors[t];
    const b = box([truncate(tensor.name), tensorLabel(tensor)].filter(Boolean));
    nodes.push({ id: outputId(t), kind: 'output', category: 'io', tensor: t, members: 0, ...b });
  }

  const viewEdges: ViewEdge[] = [];
  const merged = new Map<string, ViewEdge>();
  for (const e of edges) {
    const source = unitOf.has(e.source) ? `g:${unitOf.get(e.source)}` : e.source;
    const target = unitOf.has(e.target) ? `g:${unitOf.get(e.target)}` : e.target;
    if (source === target) continue;
    const key = source.startsWith('g:') || target.startsWith('g:') ? `${source}>${target}` : `${source}>${target}>${e.tensor}`;
    const existing = merged.get(key);
    if (existing) {
      existing.count++;
      continue;
    }
    const v: ViewEdge = { id: `e${viewEdges.length}`, source, target, tensor: e.tensor, label: tensorLabel(dto.tensors[e.tensor]), implicit: e.implicit, count: 1 };
    merged.set(key, v);
    viewEdges.push(v);
  }
  if (options.unfoldWeights) addWeightBoxes(dto, nodes, viewEdges, unitOf);
  for (const v of viewEdges) if (v.count > 1) v.label = `${v.count} tensors`;
  return { nodes: orderNodes(dto, nodes, tree), edges: viewEdges, representedNodes, representedEdges: edges.length };
}

/** Adds one box per weight read by a visible op, with an edge to each visible reader. */
function addWeightBoxes(dto: GraphDto, nodes: ViewNode[], edges: ViewEdge[], unitOf: Map<string, string>): void {
  const made = new Set<number>();
  dto.nodes.forEach((node, i) => {
    if (node.folded || unitOf.has(nodeId(i))) return;
    node.inputs.forEach((t, k) => {
      if (t < 0 || !isWeight(dto, t)) return;
      if (!made.has(t)) {
        made.add(t);
        const tensor = dto.tensors[t];
        const b = box([`${inputName(node.op, k)}: ${truncate(tensor.name, 30)}`, tensorLabel(tensor)]);
        nodes.push({ id: `w${t}`, kind: 'weight', category: 'weight', tensor: t, members: 0, ...b });
      }
      edges.push({ id: `e${edges.length}`, source: `w${t}`, target: nodeId(i), tensor: t, label: tensorLabel(dto.tensors[t]), implicit: false, count: 1 });
    });
  });
}

/** Sorts boxes into topological order (inputs first, outputs last) for the layered layout. */
function orderNodes(dto: GraphDto, nodes: ViewNode[], tree: GroupTree | undefined): ViewNode[] {
  const key = (v: ViewNode): number => {
    switch (v.kind) {
      case 'input':
      case 'outer':
        return -1;
      case 'weight': {
        const t = dto.tensors[v.tensor as number];
        return (t.consumers.length ? Math.min(...t.consumers) : 0) - 0.5;
      }
      case 'op':
        return v.node as number;
      case 'group':
        return (tree?.groups.get(v.group as string)?.first ?? 0) - 0.25;
      default:
        return Number.MAX_SAFE_INTEGER;
    }
  };
  return nodes
    .map((v, i) => ({ v, k: key(v), i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.v);
}

/** @returns a function giving, for a DTO position, the outermost collapsed group holding it (or null). */
function unitResolver(tree: GroupTree, expanded: ReadonlySet<string>): (i: number) => NodeGroup | null {
  const memo = new Map<string, NodeGroup | null>();
  const resolve = (id: string): NodeGroup | null => {
    if (memo.has(id)) return memo.get(id) as NodeGroup | null;
    const g = tree.groups.get(id) as NodeGroup;
    let result: NodeGroup | null = null;
    if (g.parent !== null) {
      const outer = resolve(g.parent);
      result = outer ?? (expanded.has(id) ? null : g);
    }
    memo.set(id, result);
    return result;
  };
  return (i) => {
    const k = tree.groupOf[i];
    return k < 0 ? null : resolve(tree.ids[k]);
  };
}

/** @returns the most frequent ops inside a group, e.g. `Conv×3 Relu×3 Add`. */
function opSummary(dto: GraphDto, tree: GroupTree, group: NodeGroup): string {
  const counts = new Map<string, number>();
  const stack = [group];
  let seen = 0;
  while (stack.length && seen < 5000) {
    const g = stack.pop() as NodeGroup;
    for (const n of g.nodes) {
      counts.set(dto.nodes[n].op, (counts.get(dto.nodes[n].op) ?? 0) + 1);
      seen++;
    }
    for (const c of g.groups) stack.push(tree.groups.get(c) as NodeGroup);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
    .join(' ');
}
