/** Graph slice: the graph on screen (DTO, layout, selection, search, overlays) and the diff of two models. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { ModelDiffDto } from '../../shared/api/graph-api';
import { fromWire, linkConsumers, type GraphChunkDto, type GraphDto, type SubgraphStep } from '../../shared/graph/graph-dto';
import { searchGraph, type SearchMatch } from '../../shared/graph/graph-search';
import type { NodeOverlay } from '../../shared/graph/overlay';
import { paramsOverlay } from '../../shared/graph/weight-overlay';
import { LayoutCancelled, LayoutClient } from '../components/graph/layout-client';
import type { LaidOutGraph, LayoutRequestOptions } from '../components/graph/layout-protocol';
import { loadAnalysisOverlays } from './analysis-overlays';
import { studioClient } from '../services';
import type { StudioState } from './index';

/** What the inspector shows. */
export type GraphSelection =
  | { kind: 'node'; node: number }
  | { kind: 'tensor'; tensor: number; edge?: { source: string; target: string } }
  | { kind: 'group'; group: string; label: string; members: number };

export type GraphStatus = 'idle' | 'loading' | 'laying-out' | 'ready' | 'cancelled' | 'error';

/** One side of a view: a graph, its layout and how it was asked for. */
export interface GraphPane {
  modelId: string | null;
  path: SubgraphStep[];
  dto: GraphDto | null;
  laid: LaidOutGraph | null;
  status: GraphStatus;
  progress: number;
  stage: string;
  error: StudioErrorDto | null;
  expanded: string[] | 'initial' | 'all';
}

/** The diff of the open model (A) against a second model file (B). */
export interface GraphDiff {
  status: 'picking' | 'comparing' | 'ready' | 'error';
  fileB: string;
  result: ModelDiffDto | null;
  a: GraphPane;
  b: GraphPane;
  selected: number | null;
  error: StudioErrorDto | null;
}

export interface GraphState {
  pane: GraphPane;
  unfoldWeights: boolean;
  edgeLabels: boolean;
  selection: GraphSelection | null;
  query: string;
  matches: SearchMatch[];
  matchTotal: number;
  matchCursor: number;
  /** bumped to ask the canvas to center on a box */
  focus: { id: string; seq: number } | null;
  overlays: Record<string, NodeOverlay>;
  activeOverlay: string | null;
  diff: GraphDiff | null;
}

export interface GraphSlice {
  graph: GraphState;
  loadGraph(modelId: string, path?: SubgraphStep[]): Promise<void>;
  relayout(patch?: Partial<LayoutRequestOptions>): Promise<void>;
  cancelLayout(): void;
  openSubgraph(step: SubgraphStep): Promise<void>;
  goToLevel(depth: number): Promise<void>;
  selectGraph(selection: GraphSelection | null, focus?: boolean): void;
  setGraphQuery(query: string): void;
  stepMatch(delta: number): Promise<void>;
  revealNode(node: number): Promise<void>;
  toggleGroup(group: string, expand: boolean): Promise<void>;
  setGraphOption(option: 'unfoldWeights' | 'edgeLabels', value: boolean): void;
  /** adds or replaces a per-node overlay (later features feed latency, quantization error, pruned fraction…) */
  setOverlay(overlay: NodeOverlay): void;
  setActiveOverlay(id: string | null): void;
  startDiff(): Promise<void>;
  selectDiffChange(index: number | null): void;
  closeDiff(): void;
}

const emptyPane = (): GraphPane => ({ modelId: null, path: [], dto: null, laid: null, status: 'idle', progress: 0, stage: '', error: null, expanded: 'initial' });

/** Layout workers: the main view, and the two sides of the diff view. */
export const layoutClients = { main: new LayoutClient(), a: new LayoutClient(), b: new LayoutClient() };
let loadSeq = 0;

/** Fetches a whole graph (chunk by chunk, so no single message freezes the window) and feeds a layout worker. */
async function fetchGraph(client: LayoutClient, key: string, modelId: string, path: SubgraphStep[], onProgress: (f: number, stage: string) => void): Promise<GraphDto> {
  const api = studioClient().api;
  const { first, ...header } = await api.getGraph({ modelId, subgraphPath: path });
  performance.mark('graph:first-chunk');
  const dto: GraphDto = { ...header, nodes: [], tensors: [] };
  client.begin(key, header);
  const take = (chunk: GraphChunkDto) => {
    client.addChunk(key, chunk);
    for (const n of chunk.nodes) dto.nodes.push(n);
    for (const t of chunk.tensors) dto.tensors.push(t);
  };
  take(fromWire(first));
  // all chunks are asked for at once (the engine answers them back to back); each is parsed in its own task
  const rest = Array.from({ length: header.chunkCount - 1 }, (_, k) => api.getGraphChunk({ modelId, subgraphPath: path, index: k + 1 }));
  for (let i = 0; i < rest.length; i++) {
    onProgress((i + 1) / header.chunkCount, `loading the graph (${Math.min(dto.nodeCount, dto.nodes.length)} of ${dto.nodeCount} nodes)`);
    take(fromWire(await rest[i]));
  }
  linkConsumers(dto);
  return dto;
}

export const createGraphSlice: StateCreator<StudioState, [], [], GraphSlice> = (set, get) => {
  const patch = (p: Partial<GraphState>) => set((s) => ({ graph: { ...s.graph, ...p } }));
  const patchPane = (which: 'pane' | 'a' | 'b', p: Partial<GraphPane>) =>
    set((s) => {
      if (which === 'pane') return { graph: { ...s.graph, pane: { ...s.graph.pane, ...p } } };
      const diff = s.graph.diff;
      return diff ? { graph: { ...s.graph, diff: { ...diff, [which]: { ...diff[which], ...p } } } } : {};
    });
  const paneOf = (which: 'pane' | 'a' | 'b'): GraphPane | undefined => (which === 'pane' ? get().graph.pane : get().graph.diff?.[which]);

  const layoutClientOf = (which: 'pane' | 'a' | 'b'): LayoutClient => (which === 'pane' ? layoutClients.main : layoutClients[which]);

  /** Loads a graph into a pane and lays it out. */
  const load = async (which: 'pane' | 'a' | 'b', modelId: string, path: SubgraphStep[], extra: Partial<LayoutRequestOptions> = {}) => {
    const client = which === 'pane' ? layoutClients.main : layoutClients[which];
    const key = `${modelId}:${JSON.stringify(path)}:${++loadSeq}`;
    client.cancel();
    client.warm();
    patchPane(which, { ...emptyPane(), modelId, path, status: 'loading', stage: 'loading the graph' });
    performance.mark('graph:load');
    try {
      // progress at most every 100 ms: each update re-renders the screen, on the thread that parses the chunks
      let shownAt = -Infinity;
      const dto = await fetchGraph(client, key, modelId, path, (progress, stage) => {
        if (performance.now() - shownAt < 100) return;
        shownAt = performance.now();
        patchPane(which, { progress: progress * 0.3, stage });
      });
      if (paneOf(which)?.modelId !== modelId || layoutClientOf(which).key !== key) return;
      performance.mark('graph:dto');
      const cancelled = paneOf(which)?.status === 'cancelled';
      patchPane(which, cancelled ? { dto, status: 'cancelled', stage: 'cancelled' } : { dto });
      if (which === 'pane') {
        patch({ overlays: { ...get().graph.overlays, params: paramsOverlay(dto) } });
        get().setGraphQuery(get().graph.query);
      }
      // a cancel while loading keeps the graph's summary; "Lay out again" picks up from here
      if (cancelled) return;
      await layoutPane(which, key, { expanded: 'initial', ...extra });
      // the analysis overlays (FLOPs, activation size) come after the first view: their reply is large on big models
      if (which === 'pane') void loadAnalysisOverlays(modelId, get().setOverlay, get().check);
    } catch (err) {
      if (err instanceof LayoutCancelled) return;
      patchPane(which, { status: 'error', error: toErrorDto(err) });
    }
  };

  const layoutPane = async (which: 'pane' | 'a' | 'b', key: string, options: Partial<LayoutRequestOptions>) => {
    const client = which === 'pane' ? layoutClients.main : layoutClients[which];
    const pane = paneOf(which);
    const req: LayoutRequestOptions = { expanded: options.expanded ?? pane?.expanded ?? 'initial', reveal: options.reveal, unfoldWeights: options.unfoldWeights ?? get().graph.unfoldWeights };
    patchPane(which, { status: 'laying-out', stage: 'laying out', progress: 0.3 });
    try {
      const laid = await client.layout(key, req, (f, stage) => patchPane(which, { progress: 0.3 + f * 0.7, stage }));
      performance.mark('graph:laid');
      patchPane(which, { laid, status: 'ready', progress: 1, stage: 'ready', expanded: laid.expanded, error: null });
    } catch (err) {
      if (err instanceof LayoutCancelled) patchPane(which, { status: 'cancelled', stage: 'cancelled' });
      else patchPane(which, { status: 'error', error: toErrorDto(err) });
      throw err;
    }
  };

  const currentKey = (): string | null => layoutClients.main.key;

  return {
    graph: { pane: emptyPane(), unfoldWeights: false, edgeLabels: false, selection: null, query: '', matches: [], matchTotal: 0, matchCursor: -1, focus: null, overlays: {}, activeOverlay: null, diff: null },
    loadGraph: async (modelId, path = []) => {
      patch({ selection: null, matchCursor: -1 });
      await load('pane', modelId, path);
    },
    relayout: async (options = {}) => {
      const key = currentKey();
      if (!key) return;
      await layoutPane('pane', key, options).catch(() => undefined);
    },
    cancelLayout: () => {
      layoutClients.main.cancel();
      patchPane('pane', { status: 'cancelled', stage: 'cancelled' });
    },
    openSubgraph: async (step) => {
      const { modelId, path } = get().graph.pane;
      if (!modelId) return;
      patch({ selection: null });
      await load('pane', modelId, [...path, step]);
    },
    goToLevel: async (depth) => {
      const { modelId, path } = get().graph.pane;
      if (!modelId || depth >= path.length) return;
      patch({ selection: null });
      await load('pane', modelId, path.slice(0, depth));
    },
    selectGraph: (selection, focus = false) => {
      patch({ selection });
      if (focus && selection) {
        const id = selection.kind === 'node' ? boxIdOfNode(get().graph.pane, selection.node) : selection.kind === 'group' ? `g:${selection.group}` : null;
        if (id) patch({ focus: { id, seq: (get().graph.focus?.seq ?? 0) + 1 } });
      }
    },
    setGraphQuery: (query) => {
      const dto = get().graph.pane.dto;
      const { matches, total } = dto ? searchGraph(dto, query) : { matches: [], total: 0 };
      patch({ query, matches, matchTotal: total, matchCursor: -1 });
    },
    stepMatch: async (delta) => {
      const { matches, matchCursor } = get().graph;
      if (!matches.length) return;
      const cursor = (matchCursor + delta + matches.length) % matches.length;
      patch({ matchCursor: cursor });
      await get().revealNode(matches[cursor].node);
    },
    revealNode: async (node) => {
      const pane = get().graph.pane;
      const laid = pane.laid;
      if (!laid) return;
      const box = laid.boxOfNode[node];
      if (box >= 0 && laid.nodes[box].kind === 'group') {
        const key = currentKey();
        if (key) await layoutPane('pane', key, { expanded: laid.expanded, reveal: [node] }).catch(() => undefined);
      }
      get().selectGraph({ kind: 'node', node }, true);
    },
    toggleGroup: async (group, expand) => {
      const laid = get().graph.pane.laid;
      const key = currentKey();
      if (!laid || !key) return;
      const expanded = expand ? [...laid.expanded, group] : laid.expanded.filter((g) => g !== group && !isInside(laid, g, group));
      patch({ selection: null });
      await layoutPane('pane', key, { expanded }).catch(() => undefined);
    },
    setGraphOption: (option, value) => {
      patch({ [option]: value } as Partial<GraphState>);
      if (option === 'unfoldWeights') void get().relayout({ unfoldWeights: value });
    },
    setOverlay: (overlay) => patch({ overlays: { ...get().graph.overlays, [overlay.id]: overlay } }),
    setActiveOverlay: (activeOverlay) => patch({ activeOverlay }),
    startDiff: async () => {
      const modelIdA = get().graph.pane.modelId;
      if (!modelIdA) return;
      const base: GraphDiff = { status: 'picking', fileB: '', result: null, a: emptyPane(), b: emptyPane(), selected: null, error: null };
      patch({ diff: base });
      try {
        const picked = await studioClient().host.pickModelFile();
        if (!picked) {
          patch({ diff: null });
          return;
        }
        const opened = await studioClient().api.openModel({ path: picked });
        patch({ diff: { ...base, status: 'comparing', fileB: opened.summary.fileName } });
        const result = await studioClient().api.diffModels({ modelIdA, modelIdB: opened.modelId });
        const diff = get().graph.diff;
        if (!diff) return;
        patch({ diff: { ...diff, status: 'ready', result } });
        await Promise.all([load('a', modelIdA, []), load('b', opened.modelId, [])]);
      } catch (err) {
        const diff = get().graph.diff;
        if (diff) patch({ diff: { ...diff, status: 'error', error: toErrorDto(err) } });
      }
    },
    selectDiffChange: (selected) => {
      const diff = get().graph.diff;
      if (diff) patch({ diff: { ...diff, selected } });
    },
    closeDiff: () => {
      layoutClients.a.dispose();
      layoutClients.b.dispose();
      patch({ diff: null });
    },
  };
};

/** @returns true when group `g` lies inside group `outer`. */
function isInside(laid: LaidOutGraph, g: string, outer: string): boolean {
  const parents = new Map(laid.groups.map((x) => [x.id, x.parent]));
  for (let p = parents.get(g); p; p = parents.get(p)) if (p === outer) return true;
  return false;
}

/** @returns the id of the box showing DTO node `node` (its own or its collapsed group's). */
export function boxIdOfNode(pane: GraphPane, node: number): string | null {
  const laid = pane.laid;
  if (!laid) return null;
  const i = laid.boxOfNode[node];
  return i >= 0 ? laid.nodes[i].id : null;
}

/**
 * Starts loading and laying out the graph of every model that opens, in the background, so the Graph place is ready
 * when the user gets there (the work runs in the engine and the layout worker, not on the UI thread).
 * @param store - the bound store
 */
export function prefetchGraphs(store: { getState(): StudioState; subscribe(listener: (s: StudioState, prev: StudioState) => void): () => void }): () => void {
  return store.subscribe((s, prev) => {
    if (s.modelId && s.modelId !== prev.modelId && s.graph.pane.modelId !== s.modelId) {
      const id = s.modelId;
      // right after this update (not inside it), before the next render: the request goes out at once
      queueMicrotask(() => {
        if (store.getState().modelId === id && store.getState().graph.pane.modelId !== id) void store.getState().loadGraph(id);
      });
    }
  });
}

/** Named selectors of the graph slice. */
export const graphSelectors = {
  pane: (s: StudioState) => s.graph.pane,
  dto: (s: StudioState) => s.graph.pane.dto,
  laid: (s: StudioState) => s.graph.pane.laid,
  status: (s: StudioState) => s.graph.pane.status,
  selection: (s: StudioState) => s.graph.selection,
  query: (s: StudioState) => s.graph.query,
  matches: (s: StudioState) => s.graph.matches,
  matchTotal: (s: StudioState) => s.graph.matchTotal,
  matchCursor: (s: StudioState) => s.graph.matchCursor,
  focus: (s: StudioState) => s.graph.focus,
  edgeLabels: (s: StudioState) => s.graph.edgeLabels,
  unfoldWeights: (s: StudioState) => s.graph.unfoldWeights,
  overlays: (s: StudioState) => s.graph.overlays,
  activeOverlay: (s: StudioState) => (s.graph.activeOverlay ? (s.graph.overlays[s.graph.activeOverlay] ?? null) : null),
  diff: (s: StudioState) => s.graph.diff,
};
