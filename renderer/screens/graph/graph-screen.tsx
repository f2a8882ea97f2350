/** The Graph place: the model's graph with search, inspector, overlays, subgraphs, export and the diff view. */
import { Button, NonIdealState, ProgressBar, Spinner, type HotkeyConfig, useHotkeys } from '@blueprintjs/core';
import { useEffect, useMemo, useRef } from 'react';
import { overlayColor, overlayRange } from '../../../shared/graph/overlay';
import { overlayKey } from '../../../shared/graph/weight-overlay';
import { GraphCanvas, type CanvasApi } from '../../components/graph/graph-canvas';
import type { MarkKind } from '../../components/graph/cy-style';
import { graphSelectors, modelSelectors, uiSelectors, useStudio } from '../../store';
import { boxIdOfNode } from '../../store/graph-slice';
import { DiffView } from './diff-view';
import { download, exportStem, laidOutSvg } from './graph-export';
import { GraphInspector } from './graph-inspector';
import { navigate, type NavMemory } from './graph-nav';
import { GraphToolbar } from './graph-toolbar';
import { OverlayLegend } from './overlay-legend';
import './graph.css';

/** Renders the screen. */
export function GraphScreen() {
  const modelId = useStudio(modelSelectors.modelId);
  const summary = useStudio(modelSelectors.summary);
  const pane = useStudio(graphSelectors.pane);
  const diff = useStudio(graphSelectors.diff);
  const loadGraph = useStudio((s) => s.loadGraph);
  useEffect(() => {
    if (modelId && useStudio.getState().graph.pane.modelId !== modelId) void loadGraph(modelId);
  }, [modelId, loadGraph]);
  if (!modelId || !summary) return <NoModel />;
  if (diff) return <DiffView />;
  return <GraphMain key={pane.modelId ?? ''} fileName={summary.fileName} />;
}

/** No model yet: the one being opened (a deep link opens here at once), the error that stopped it, or how to open one. */
function NoModel() {
  const opening = useStudio(modelSelectors.opening);
  const error = useStudio(modelSelectors.openError);
  const open = <Button icon="folder-open" intent="primary" onClick={() => void useStudio.getState().pickAndOpen()}>Open model…</Button>;
  return (
    <div className="ds-screen" data-screen="graph">
      {opening ? (
        <NonIdealState icon={<Spinner />} title={`Opening ${opening}…`} />
      ) : error ? (
        <NonIdealState icon="error" title={`Could not open ${error.file}`} description={`${error.message} (${error.code})`} action={open} />
      ) : (
        <NonIdealState icon="graph" title="No model open" description="Open a model in the Model place (or press Ctrl+O) to see its graph." action={open} />
      )}
    </div>
  );
}

function GraphMain({ fileName }: { fileName: string }) {
  const pane = useStudio(graphSelectors.pane);
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const edgeLabels = useStudio(graphSelectors.edgeLabels);
  const selection = useStudio(graphSelectors.selection);
  const matches = useStudio(graphSelectors.matches);
  const focus = useStudio(graphSelectors.focus);
  const overlay = useStudio(graphSelectors.activeOverlay);
  const api = useRef<CanvasApi | null>(null);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const nav = useRef<NavMemory | null>(null);
  const { dto, laid, status } = pane;

  const selectedId = useMemo(() => {
    if (!selection || !laid) return null;
    if (selection.kind === 'node') return boxIdOfNode(pane, selection.node);
    if (selection.kind === 'group') return `g:${selection.group}`;
    if (selection.edge) return laid.edges.find((e) => e.source === selection.edge?.source && e.target === selection.edge?.target && e.tensor === selection.tensor)?.id ?? null;
    return laid.nodes.find((v) => v.tensor === selection.tensor && v.kind !== 'weight')?.id ?? null;
  }, [selection, laid, pane]);

  const marks = useMemo(() => {
    if (!laid || !matches.length) return null;
    const m = new Map<string, MarkKind>();
    for (const hit of matches) {
      const i = laid.boxOfNode[hit.node];
      if (i >= 0) m.set(laid.nodes[i].id, 'match');
    }
    return m;
  }, [laid, matches]);

  const fills = useMemo(() => {
    if (!overlay || !laid || !dto) return null;
    const range = overlayRange(overlay);
    const m = new Map<string, string>();
    for (const v of laid.nodes) {
      if (v.kind === 'op' && v.node !== undefined) m.set(v.id, overlayColor(overlay.values[overlayKey(dto.nodes[v.node])], range, overlay.scale));
    }
    return m;
  }, [overlay, laid, dto]);

  const exportAs = async (kind: 'png' | 'svg' | 'json') => {
    if (!dto || !laid) return;
    const stem = exportStem(fileName, dto);
    if (kind === 'json') download(new Blob([JSON.stringify(dto, null, 1)], { type: 'application/json' }), `${stem}.graph.json`);
    else if (kind === 'svg') download(new Blob([laidOutSvg(laid, { dark, edgeLabels, fills, marks, title: `${fileName} — ${dto.breadcrumb.join(' › ')}` })], { type: 'image/svg+xml' }), `${stem}.svg`);
    else if (api.current) download(await api.current.png(), `${stem}.png`);
  };

  const step = (key: 'up' | 'down' | 'left' | 'right') => {
    const s = useStudio.getState();
    const sel = s.graph.selection;
    if (!dto || sel?.kind !== 'node') return;
    const next = navigate(dto, sel.node, key, nav.current);
    if (!next) return;
    nav.current = next.memory;
    void s.revealNode(next.node);
  };

  const hotkeys = useMemo<HotkeyConfig[]>(() => {
    const s = () => useStudio.getState();
    const openSelected = () => {
      const sel = s().graph.selection;
      if (sel?.kind === 'group') void s().toggleGroup(sel.group, true);
      if (sel?.kind === 'node' && dto) {
        const sub = dto.nodes[sel.node].subgraphs[0];
        if (sub) void s().openSubgraph({ node: dto.nodes[sel.node].fileIndex, attribute: sub.attribute, index: sub.index });
      }
    };
    return [
      { combo: '/', global: true, group: 'Graph', label: 'Find node, op or tensor', preventDefault: true, onKeyDown: () => searchRef.current?.focus() },
      { combo: 'mod+f', global: true, group: 'Graph', label: 'Find node, op or tensor', preventDefault: true, onKeyDown: () => searchRef.current?.focus() },
      { combo: 'f', global: true, group: 'Graph', label: 'Zoom to fit', onKeyDown: () => api.current?.fit() },
      { combo: 'z', global: true, group: 'Graph', label: 'Zoom to selection', onKeyDown: () => api.current?.zoomToSelection() },
      { combo: 'up', global: true, group: 'Graph', label: 'Go to producer', preventDefault: true, onKeyDown: () => step('up') },
      { combo: '[', global: true, group: 'Graph', label: 'Go to producer', onKeyDown: () => step('up') },
      { combo: 'down', global: true, group: 'Graph', label: 'Go to consumer', preventDefault: true, onKeyDown: () => step('down') },
      { combo: ']', global: true, group: 'Graph', label: 'Go to consumer', onKeyDown: () => step('down') },
      { combo: 'left', global: true, group: 'Graph', label: 'Previous producer / consumer', preventDefault: true, onKeyDown: () => step('left') },
      { combo: 'right', global: true, group: 'Graph', label: 'Next producer / consumer', preventDefault: true, onKeyDown: () => step('right') },
      { combo: 'enter', global: true, group: 'Graph', label: 'Open subgraph / expand group', onKeyDown: openSelected },
      { combo: 'backspace', global: true, group: 'Graph', label: 'Up one graph level', onKeyDown: () => void s().goToLevel(s().graph.pane.path.length - 1) },
      { combo: 'e', global: true, group: 'Graph', label: 'Toggle tensor shapes on edges', onKeyDown: () => s().setGraphOption('edgeLabels', !s().graph.edgeLabels) },
      { combo: 'w', global: true, group: 'Graph', label: 'Toggle weights as boxes', onKeyDown: () => s().setGraphOption('unfoldWeights', !s().graph.unfoldWeights) },
      { combo: 'esc', global: true, group: 'Graph', label: 'Clear selection', onKeyDown: () => s().selectGraph(null) },
    ];
  }, [dto]);
  useHotkeys(hotkeys);

  const busy = status === 'loading' || status === 'laying-out';
  const folded = dto?.foldedCount ?? 0;
  const groupBoxes = laid ? laid.nodes.filter((v) => v.kind === 'group') : [];
  return (
    <div className="ds-screen ds-graph" data-screen="graph">
      <GraphToolbar searchRef={searchRef} onFit={() => api.current?.fit()} onZoomSelection={() => api.current?.zoomToSelection()} onExport={(k) => void exportAs(k)} />
      <div className="ds-graph-body">
        <div className="ds-graph-main">
          {laid && (
            <GraphCanvas
              laid={laid}
              dark={dark}
              edgeLabels={edgeLabels}
              fills={fills}
              marks={marks}
              selectedId={selectedId}
              focus={focus}
              onReady={(a) => (api.current = a)}
              onTapNode={(v) => {
                const s = useStudio.getState();
                if (v.kind === 'op' && v.node !== undefined) s.selectGraph({ kind: 'node', node: v.node });
                else if (v.kind === 'group' && v.group) s.selectGraph({ kind: 'group', group: v.group, label: v.label.split('\n')[0].replace(/^▸ /, ''), members: v.members });
                else if (v.tensor !== undefined) s.selectGraph({ kind: 'tensor', tensor: v.tensor });
              }}
              onDblTapNode={(v) => {
                const s = useStudio.getState();
                if (v.kind === 'group' && v.group) void s.toggleGroup(v.group, true);
                else if (v.kind === 'op' && v.node !== undefined && dto?.nodes[v.node].subgraphs[0]) {
                  const n = dto.nodes[v.node];
                  void s.openSubgraph({ node: n.fileIndex, attribute: n.subgraphs[0].attribute, index: n.subgraphs[0].index });
                }
              }}
              onTapEdge={(e) => useStudio.getState().selectGraph({ kind: 'tensor', tensor: e.tensor, edge: { source: e.source, target: e.target } })}
              onTapBackground={() => useStudio.getState().selectGraph(null)}
            />
          )}
          {dto && laid && (
            <div
              className="ds-graph-counts ds-small"
              data-testid="graph-counts"
              data-node-count={dto.nodeCount}
              data-edge-count={dto.edgeCount}
              data-folded={folded}
              data-represented-edges={laid.representedEdges}
              data-layout-ms={Math.round(laid.layoutMs)}
              data-collapsed={groupBoxes.length}
            >
              {dto.nodeCount.toLocaleString()} nodes · {dto.edgeCount.toLocaleString()} edges
              {folded > 0 && ` · ${folded} Constant folded`}
              {groupBoxes.length > 0 && ` · ${groupBoxes.length} groups collapsed (${groupBoxes.reduce((n, v) => n + v.members, 0).toLocaleString()} nodes)`}
            </div>
          )}
          {overlay && <OverlayLegend overlay={overlay} />}
          {busy && (
            <div className="ds-graph-progress" data-testid="graph-progress">
              <div className="ds-small">{pane.stage || 'working'}…</div>
              <ProgressBar value={pane.progress} intent="primary" />
              <Button size="small" icon="cross" onClick={() => useStudio.getState().cancelLayout()} data-testid="cancel-layout">
                Cancel
              </Button>
            </div>
          )}
          {status === 'cancelled' && !laid && (
            <NonIdealState icon="pause" title="Layout cancelled" description="The summary stays available in the inspector." action={<Button icon="refresh" onClick={() => void useStudio.getState().relayout()}>Lay out again</Button>} />
          )}
          {status === 'error' && pane.error && <NonIdealState icon="error" title="The graph cannot be shown" description={pane.error.message} />}
          {!dto && status === 'loading' && <NonIdealState icon={<Spinner />} title="Loading the graph…" />}
        </div>
        <aside className="ds-inspector" aria-label="Inspector">
          {dto ? <GraphInspector dto={dto} /> : <NonIdealState icon="info-sign" title="Inspector" description="Select a node or an edge." />}
        </aside>
      </div>
    </div>
  );
}
