/**
 * A React wrapper around an ECharts instance, resized with its container and themed. ECharts itself (and the chart
 * types it registers, in echart-core.ts) is a separate chunk loaded when the first chart mounts.
 */
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

export type ChartOption = EChartsCoreOption;

type Core = typeof import('./echart-core');
let core: Promise<Core> | undefined;

/** Starts loading ECharts ahead of the first chart (the Model place draws one as soon as a model is open). */
export function preloadCharts(): void {
  loadCore().catch(() => undefined);
}

/** @returns the ECharts module (loaded once; a failed load is tried again by the next chart). */
function loadCore(): Promise<Core> {
  core ??= import('./echart-core').catch((err: unknown) => {
    core = undefined;
    throw err;
  });
  return core;
}

export interface EChartProps {
  option: ChartOption;
  dark: boolean;
  height: number;
  /** accessible description of the chart */
  label: string;
}

/** Draws `option`; redraws when it or the theme changes. */
export function EChart({ option, dark, height, label }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let instance: ECharts | null = null;
    let ro: ResizeObserver | null = null;
    let live = true;
    loadCore().then(
      ({ echarts }) => {
        if (!live || !el.current) return;
        instance = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
        const drawn = instance;
        // `data-drawn` tells tests (and screenshots) that the chart has finished drawing, animations included
        drawn.on('finished', () => el.current?.setAttribute('data-drawn', 'true'));
        ro = new ResizeObserver(() => drawn.resize());
        ro.observe(el.current);
        setChart(drawn);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      ro?.disconnect();
      instance?.dispose();
      setChart(null);
    };
  }, [dark]);
  useEffect(() => {
    if (!chart) return;
    el.current?.setAttribute('data-drawn', 'false');
    chart.setOption({ backgroundColor: 'transparent', ...option }, true);
  }, [chart, option]);
  return (
    <div ref={el} role="img" aria-label={label} style={{ width: '100%', height }}>
      {failed && <span className="ds-muted">The chart could not be loaded: reload the window.</span>}
    </div>
  );
}
