/** A React wrapper around an ECharts instance (tree-shaken build), resized with its container and themed. */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
// charts of the Compare place (scatter + Pareto line, latency box plots, confusion heat map)
import { BoxplotChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { LegendComponent, VisualMapComponent } from 'echarts/components';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);
echarts.use([ScatterChart, LineChart, BoxplotChart, HeatmapChart, LegendComponent, VisualMapComponent]);

export type ChartOption = echarts.EChartsCoreOption;

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
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    const ro = new ResizeObserver(() => instance.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);
  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, true);
  }, [option, dark]);
  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
