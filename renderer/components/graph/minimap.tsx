/** A minimap of the whole graph: boxes in their colours, the visible area as a frame; click or drag to move there. */
import type { Core } from 'cytoscape';
import { useEffect, useRef, type RefObject } from 'react';
import { boxColor } from './elements';
import type { LaidOutGraph } from './layout-protocol';

const W = 180;
const H = 140;

export interface MinimapProps {
  cy: RefObject<Core | null>;
  laid: LaidOutGraph;
  fills: ReadonlyMap<string, string> | null;
}

/** Renders the minimap. */
export function Minimap({ cy, laid, fills }: MinimapProps) {
  const base = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLCanvasElement>(null);
  const scale = useRef({ s: 1, ox: 0, oy: 0 });

  useEffect(() => {
    const c = base.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const pad = 20;
    const minX = -pad;
    const minY = -pad;
    const w = laid.width + 2 * pad;
    const h = laid.height + 2 * pad;
    const s = Math.min(W / Math.max(1, w), H / Math.max(1, h));
    const ox = (W - w * s) / 2 - minX * s;
    const oy = (H - h * s) / 2 - minY * s;
    scale.current = { s, ox, oy };
    ctx.clearRect(0, 0, W, H);
    for (const v of laid.nodes) {
      ctx.fillStyle = fills?.get(v.id) ?? boxColor(v);
      const bw = Math.max(1, v.width * s);
      const bh = Math.max(1, v.height * s);
      ctx.fillRect(ox + v.x * s - bw / 2, oy + v.y * s - bh / 2, bw, bh);
    }
  }, [laid, fills]);

  useEffect(() => {
    const core = cy.current;
    if (!core) return;
    let raf = 0;
    const draw = () => {
      raf = 0;
      const ctx = frame.current?.getContext('2d');
      if (!ctx || core.destroyed()) return;
      const { s, ox, oy } = scale.current;
      const e = core.extent();
      ctx.clearRect(0, 0, W, H);
      ctx.strokeStyle = '#4c90f0';
      ctx.lineWidth = 1.5;
      ctx.fillStyle = 'rgba(76, 144, 240, 0.12)';
      const x = ox + e.x1 * s;
      const y = oy + e.y1 * s;
      ctx.fillRect(x, y, e.w * s, e.h * s);
      ctx.strokeRect(x, y, e.w * s, e.h * s);
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    core.on('viewport resize', schedule);
    schedule();
    return () => {
      cancelAnimationFrame(raf);
      if (!core.destroyed()) core.off('viewport resize', schedule);
    };
  }, [cy, laid]);

  const moveTo = (ev: React.PointerEvent<HTMLCanvasElement>) => {
    const core = cy.current;
    if (!core) return;
    const rect = ev.currentTarget.getBoundingClientRect();
    const { s, ox, oy } = scale.current;
    const gx = (ev.clientX - rect.left - ox) / s;
    const gy = (ev.clientY - rect.top - oy) / s;
    core.pan({ x: core.width() / 2 - gx * core.zoom(), y: core.height() / 2 - gy * core.zoom() });
  };

  return (
    <div className="ds-minimap" data-testid="graph-minimap" aria-label="Minimap">
      <canvas ref={base} width={W} height={H} />
      <canvas
        ref={frame}
        width={W}
        height={H}
        onPointerDown={(ev) => {
          ev.currentTarget.setPointerCapture(ev.pointerId);
          moveTo(ev);
        }}
        onPointerMove={(ev) => {
          if (ev.buttons & 1) moveTo(ev);
        }}
      />
    </div>
  );
}
