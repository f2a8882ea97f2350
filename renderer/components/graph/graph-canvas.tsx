/** The cytoscape view of a laid-out graph: preset positions, marks, overlay fills, minimap, and a handle for commands. */
import cytoscape, { type Core, type EventObject } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { graphStyle, type MarkKind } from './cy-style';
import type { LaidOutGraph, PlacedEdge, PlacedNode } from './layout-protocol';
import { Minimap } from './minimap';
import { fitViewport, initialViewport, planBatches } from './viewport';
import './graph-canvas.css';

/** Commands the screen can give the canvas. */
export interface CanvasApi {
  fit(): void;
  zoomToSelection(): void;
  center(id: string): void;
  png(): Promise<Blob>;
  viewport(): { zoom: number; pan: { x: number; y: number } };
  setViewport(v: { zoom: number; pan: { x: number; y: number } }): void;
  counts(): { nodes: number; edges: number };
}

export interface GraphCanvasProps {
  laid: LaidOutGraph | null;
  dark: boolean;
  edgeLabels: boolean;
  /** box id → overlay fill */
  fills?: ReadonlyMap<string, string> | null;
  /** box id → mark */
  marks?: ReadonlyMap<string, MarkKind> | null;
  selectedId?: string | null;
  focus?: { id: string; seq: number } | null;
  onTapNode?(node: PlacedNode): void;
  onDblTapNode?(node: PlacedNode): void;
  onTapEdge?(edge: PlacedEdge): void;
  onTapBackground?(): void;
  /** the user panned or zoomed */
  onViewport?(v: { zoom: number; pan: { x: number; y: number } }): void;
  onReady?(api: CanvasApi | null): void;
  testId?: string;
}

/** Renders the canvas. */
export function GraphCanvas(props: GraphCanvasProps) {
  const host = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const byId = useRef(new Map<string, PlacedNode>());
  const edgeById = useRef(new Map<string, PlacedEdge>());
  const { laid, dark, edgeLabels, fills, marks, selectedId, focus } = props;

  // one cytoscape instance per graph layout: the boxes around the first view first, the rest in batches
  useEffect(() => {
    if (!host.current || !laid) return;
    const el = host.current;
    const big = laid.nodes.length + laid.edges.length > 2500;
    const webgl = localStorage.getItem('deploy-studio.graph.webgl') === '1' || new URLSearchParams(location.search).get('webgl') === '1';
    const view = initialViewport(laid, el.clientWidth || 800, el.clientHeight || 600);
    const plan = planBatches(laid, view, el.clientWidth || 800, el.clientHeight || 600);
    const cy = cytoscape({
      container: el,
      elements: plan.first,
      layout: { name: 'preset', fit: false },
      style: graphStyle(document.body.classList.contains('bp6-dark'), propsRef.current.edgeLabels),
      zoom: view.zoom,
      pan: view.pan,
      minZoom: 0.01,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: true,
      hideEdgesOnViewport: big,
      textureOnViewport: false,
      motionBlur: false,
      pixelRatio: big ? 1 : 'auto',
      ...(webgl ? { renderer: { name: 'canvas', webgl: true } } : {}),
    } as cytoscape.CytoscapeOptions);
    performance.mark('graph:cy');
    cyRef.current = cy;
    byId.current = new Map(laid.nodes.map((v) => [v.id, v]));
    edgeById.current = new Map(laid.edges.map((e) => [e.id, e]));
    applyMarks(cy, propsRef.current);
    cy.on('tap', 'node', (ev: EventObject) => {
      const v = byId.current.get(ev.target.id());
      if (v) propsRef.current.onTapNode?.(v);
    });
    cy.on('dbltap', 'node', (ev: EventObject) => {
      const v = byId.current.get(ev.target.id());
      if (v) propsRef.current.onDblTapNode?.(v);
    });
    cy.on('tap', 'edge', (ev: EventObject) => {
      const e = edgeById.current.get(ev.target.id());
      if (e) propsRef.current.onTapEdge?.(e);
    });
    cy.on('tap', (ev: EventObject) => {
      if (ev.target === cy) propsRef.current.onTapBackground?.();
    });
    cy.on('viewport', () => {
      if (!syncing.current) propsRef.current.onViewport?.({ zoom: cy.zoom(), pan: cy.pan() });
    });
    const setCounts = () => {
      el.dataset.nodes = String(cy.nodes().length);
      el.dataset.edges = String(cy.edges().length);
      // ONNX nodes standing behind what is drawn: op boxes plus the members of collapsed groups
      let members = 0;
      cy.nodes('.group').forEach((n) => {
        members += Number(n.data('m')) || 0;
      });
      el.dataset.opNodes = String(cy.nodes('.op').length + members);
    };
    setCounts();
    el.dataset.complete = String(plan.rest.length === 0);
    let timer = 0;
    let next = 0;
    // ready once the first frame is drawn; then the remaining elements, a batch per task
    const raf = requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        el.dataset.state = 'ready';
        performance.mark('graph:ready');
        (window as unknown as { __graphReadyAt?: number }).__graphReadyAt = performance.now();
        const addBatch = () => {
          if (cy.destroyed()) return;
          const batch = plan.rest[next++];
          const added = cy.add(batch);
          applyMarks(cy, propsRef.current, added);
          setCounts();
          if (next < plan.rest.length) timer = window.setTimeout(addBatch, 0);
          else {
            el.dataset.complete = 'true';
            performance.mark('graph:complete');
          }
        };
        if (plan.rest.length) timer = window.setTimeout(addBatch, 0);
      }),
    );
    const api: CanvasApi = {
      fit: () => cy.animate({ ...fitViewport(laid, cy.width(), cy.height()), duration: 200 }),
      zoomToSelection: () => {
        const sel = cy.$(':selected');
        if (sel.nonempty()) cy.animate({ fit: { eles: sel.closedNeighborhood(), padding: 60 }, duration: 200 });
      },
      center: (id) => centerOn(cy, byId.current.get(id)),
      png: () => cy.png({ output: 'blob-promise', full: true, scale: 1, maxWidth: 8000, maxHeight: 8000, bg: document.body.classList.contains('bp6-dark') ? '#1c2127' : '#ffffff' }),
      viewport: () => ({ zoom: cy.zoom(), pan: { ...cy.pan() } }),
      setViewport: (v) => {
        syncing.current = true;
        cy.viewport({ zoom: v.zoom, pan: v.pan });
        syncing.current = false;
      },
      counts: () => ({ nodes: cy.nodes().length, edges: cy.edges().length }),
    };
    propsRef.current.onReady?.(api);
    return () => {
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      delete el.dataset.state;
      delete el.dataset.complete;
      propsRef.current.onReady?.(null);
      cy.destroy();
      cyRef.current = null;
    };
  }, [laid]);
  const syncing = useRef(false);

  useEffect(() => {
    cyRef.current?.style(graphStyle(dark, edgeLabels));
  }, [dark, edgeLabels, laid]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy) applyMarks(cy, { fills, marks });
  }, [fills, marks, laid]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements(':selected').unselect();
      cy.edges('.near').removeClass('near');
      if (selectedId) {
        const el = cy.getElementById(selectedId);
        el.select();
        if (el.isNode()) el.connectedEdges().addClass('near');
      }
    });
  }, [selectedId, laid]);

  useEffect(() => {
    if (focus && cyRef.current) centerOn(cyRef.current, byId.current.get(focus.id));
  }, [focus, laid]);

  return (
    <div className="ds-graph-canvas-wrap">
      <div ref={host} className="ds-graph-canvas" data-testid={props.testId ?? 'graph-canvas'} tabIndex={0} />
      {laid && <Minimap cy={cyRef} laid={laid} fills={fills ?? null} />}
    </div>
  );
}

/** Sets overlay fills and marks on all nodes, or only on `only` (a batch just added). */
function applyMarks(cy: Core, p: Pick<GraphCanvasProps, 'fills' | 'marks'>, only?: cytoscape.CollectionReturnValue): void {
  cy.batch(() => {
    const nodes = only ? only.nodes() : cy.nodes();
    if (!only) nodes.removeClass('ov match added removed changed');
    nodes.forEach((n) => {
      const id = n.id();
      const fill = p.fills?.get(id);
      if (fill) n.data('ovc', fill).addClass('ov');
      const mark = p.marks?.get(id);
      if (mark) n.addClass(mark);
    });
  });
}

function centerOn(cy: Core, v: PlacedNode | undefined): void {
  if (!v) return;
  const zoom = Math.max(cy.zoom(), 0.8);
  cy.animate({ zoom, pan: { x: cy.width() / 2 - v.x * zoom, y: cy.height() / 2 - v.y * zoom } }, { duration: 250 });
}
