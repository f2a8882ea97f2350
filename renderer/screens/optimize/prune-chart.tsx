/** Per-layer bars of a pruning preview: what each layer keeps and loses (channels, or non-zero weights). */
import { useMemo } from 'react';
import type { PreviewLayerDto } from '../../../shared/prune/prune-report';
import { EChart, type ChartOption } from '../../components/echart';
import { uiSelectors, useStudio } from '../../store';

/** Layers drawn at most (the rest are summarized in the caption). */
const MAX_BARS = 160;

/** Shortens a node name for an axis label (keeps its end, where exporters put the layer). */
function shortName(name: string): string {
  return name.length > 34 ? `…${name.slice(-33)}` : name;
}

/** Renders the bars. */
export function PruneChart({ layers, unit }: { layers: PreviewLayerDto[]; unit: 'channels' | 'weights' }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const shown = useMemo(() => layers.slice(0, MAX_BARS).reverse(), [layers]);
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0, data: [unit === 'channels' ? 'kept' : 'non-zero', 'removed', 'kept intact'] },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: Array<{ dataIndex: number }>) => {
          const l = shown[params[0]?.dataIndex ?? 0];
          if (!l) return '';
          const pct = l.before ? ((100 * (l.before - l.after)) / l.before).toFixed(1) : '0';
          return `<b>${l.node}</b> (${l.op}${l.group >= 0 ? `, group ${l.group}` : ''})<br/>${l.before.toLocaleString()} → ${l.after.toLocaleString()} ${unit} (−${pct} %)${l.unrounded !== undefined ? `<br/>the ratio alone keeps ${l.unrounded}, rounded to ${l.after}` : ''}${l.note ? `<br/><i>${l.note}</i>` : ''}`;
        },
      },
      xAxis: { type: 'value', splitLine: { lineStyle: { opacity: 0.3 } } },
      yAxis: { type: 'category', data: shown.map((l) => shortName(l.node)), axisLabel: { fontFamily: 'monospace', fontSize: 10 } },
      series: [
        { name: unit === 'channels' ? 'kept' : 'non-zero', type: 'bar', stack: 'c', barMaxWidth: 14, data: shown.map((l) => (l.note ? 0 : l.after)), itemStyle: { color: '#2d72d2' } },
        { name: 'removed', type: 'bar', stack: 'c', barMaxWidth: 14, data: shown.map((l) => l.before - l.after), itemStyle: { color: '#e76a6e' } },
        { name: 'kept intact', type: 'bar', stack: 'c', barMaxWidth: 14, data: shown.map((l) => (l.note ? l.after : 0)), itemStyle: { color: '#8f99a8' } },
      ],
    }),
    [shown, unit],
  );
  return (
    <div data-testid="prune-chart">
      <EChart option={option} dark={dark} height={Math.max(140, shown.length * 16 + 48)} label={`Per-layer ${unit} kept and removed`} />
      {layers.length > MAX_BARS && <div className="ds-muted">First {MAX_BARS} of {layers.length} layers shown.</div>}
    </div>
  );
}
