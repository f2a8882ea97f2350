/** The layout worker: keeps the graph DTO, builds the visible graph and lays it out off the UI thread. */
import { linkConsumers, type GraphDto } from '../../../shared/graph/graph-dto';
import { allGroupIds, buildGroups, groupChain, initialExpansion, type GroupTree } from '../../../shared/graph/groups';
import { layoutVisible } from '../../../shared/graph/layout-view';
import { buildView } from '../../../shared/graph/view-model';
import type { Port } from '../../../shared/rpc/messages';
import { RpcServer } from '../../../shared/rpc/rpc-server';
import { LAYOUT, type ChunkEvent, type GroupInfo, type HeaderEvent, type LaidOutGraph, type LayoutCall, type LayoutRequestOptions, type PlacedEdge, type PlacedNode } from './layout-protocol';

/** Boxes the first view of a big graph shows at most; groups beyond it start collapsed. */
const DEFAULT_BUDGET = 1200;

let current: { key: string; dto: GraphDto; tree: GroupTree | null; linked: boolean } | null = null;

/** This worker's end of the channel to the view (the view ends it by terminating the worker). */
const port: Port = {
  send: (message) => (self as unknown as Worker).postMessage(message),
  onMessage: (listener) => (self.onmessage = (ev: MessageEvent) => listener(ev.data)),
  onClose: () => undefined,
};

const server = new RpcServer(port, (method, params, ctx) => {
  if (method !== LAYOUT.layout) throw new Error(`The layout worker has no method "${method}".`);
  const { key, options } = params as LayoutCall;
  if (!current || current.key !== key) throw new Error('The graph was not loaded into the layout worker.');
  return layout(options, ctx.progress);
});
server.onEvent(LAYOUT.header, (data) => {
  const { key, header } = data as HeaderEvent;
  current = { key, dto: { ...header, nodes: [], tensors: [] }, tree: null, linked: false };
});
server.onEvent(LAYOUT.chunk, (data) => {
  const { key, chunk } = data as ChunkEvent;
  if (!current || current.key !== key) return;
  const { dto } = current;
  for (const n of chunk.nodes) dto.nodes.push(n);
  for (const t of chunk.tensors) dto.tensors.push(t);
  current.linked = false;
});

function layout(options: LayoutRequestOptions, progress: (fraction: number, stage: string) => void): LaidOutGraph {
  const t0 = performance.now();
  const state = current as NonNullable<typeof current>;
  const { dto } = state;
  if (!state.linked) {
    linkConsumers(dto);
    state.linked = true;
  }
  progress(0.02, 'grouping');
  state.tree ??= buildGroups(dto.nodes);
  const tree = state.tree;
  const expanded =
    options.expanded === 'all'
      ? allGroupIds(tree)
      : options.expanded === 'initial'
        ? initialExpansion(tree, options.budget ?? DEFAULT_BUDGET)
        : new Set(['', ...options.expanded]);
  for (const n of options.reveal ?? []) for (const id of groupChain(tree, n)) expanded.add(id);
  progress(0.1, 'building the view');
  const view = buildView(dto, { tree, expanded, unfoldWeights: options.unfoldWeights });
  const result = layoutVisible(view, {
    onProgress: (f, stage) => progress(0.15 + f * 0.8, stage),
  });
  const nodes: PlacedNode[] = view.nodes.map((v, i) => {
    const placed: PlacedNode = { ...v, x: result.x[i], y: result.y[i] };
    if (v.node !== undefined) {
      const k = tree.groupOf[v.node];
      placed.groupOf = k >= 0 ? tree.ids[k] : '';
    }
    return placed;
  });
  const edges: PlacedEdge[] = view.edges.map((e, i) => {
    const bend = result.bends[i];
    return bend ? { ...e, bend: Array.from(bend, (v) => Math.round(v * 10) / 10) } : e;
  });
  const boxIndex = new Map(nodes.map((v, i) => [v.id, i]));
  const boxOfNode = new Int32Array(dto.nodes.length).fill(-1);
  dto.nodes.forEach((n, i) => {
    if (n.folded) return;
    const own = boxIndex.get(`n${i}`);
    if (own !== undefined) {
      boxOfNode[i] = own;
      return;
    }
    const collapsed = groupChain(tree, i).find((id) => !expanded.has(id));
    if (collapsed !== undefined) boxOfNode[i] = boxIndex.get(`g:${collapsed}`) ?? -1;
  });
  const groups: GroupInfo[] = [];
  for (const id of expanded) {
    const g = tree.groups.get(id);
    if (g && id !== '') groups.push({ id, label: g.label, parent: g.parent, size: g.size });
  }
  return {
    key: state.key,
    nodes,
    edges,
    expanded: [...expanded].filter((id) => id !== ''),
    groups,
    groupCount: tree.groups.size - 1,
    representedNodes: view.representedNodes,
    representedEdges: view.representedEdges,
    boxOfNode,
    width: result.width,
    height: result.height,
    layoutMs: performance.now() - t0,
  };
}
