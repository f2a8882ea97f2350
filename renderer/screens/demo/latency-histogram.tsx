/** A histogram of a benchmark's latencies (ECharts bars), the slow tail folded into the last bin. */
import { useMemo } from 'react';
import type { BenchResultDto } from '../../../shared/api/runtime-api';
import { EChart, type ChartOption } from '../../components/echart';
import { uiSelectors, useStudio } from '../../store';

/**
 * Bins latencies between the minimum and just past p99 (slower runs go to the last bin, marked `≥`).
 * @returns bin labels and counts
 */
export function latencyBins(latencies: readonly number[], p99: number, bins = 30): { labels: string[]; counts: number[] } {
  if (latencies.length === 0) return { labels: [], counts: [] };
  const min = Math.min(...latencies);
  const hi = Math.max(min + 1e-6, p99 * 1.02);
  const width = (hi - min) / bins;
  const counts = new Array<number>(bins + 1).fill(0);
  for (const v of latencies) counts[v >= hi ? bins : Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const digits = width < 0.01 ? 4 : width < 0.1 ? 3 : width < 1 ? 2 : 1;
  const labels = counts.map((_, i) => (i === bins ? `≥ ${hi.toFixed(digits)}` : (min + (i + 0.5) * width).toFixed(digits)));
  if (counts[bins] === 0) {
    counts.pop();
    labels.pop();
  }
  return { labels, counts };
}

/** Renders the chart. */
export function LatencyHistogram({ result }: { result: BenchResultDto }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const option = useMemo<ChartOption>(() => {
    const { labels, counts } = latencyBins(result.latenciesMs, result.latencyMs.p99);
    return {
      grid: { left: 44, right: 12, top: 14, bottom: 40 },
      tooltip: { trigger: 'axis', formatter: (p: Array<{ name: string; value: number }>) => `${p[0].name} ms: ${p[0].value} runs` },
      xAxis: { type: 'category', data: labels, name: 'latency (ms)', nameLocation: 'middle', nameGap: 26, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: 'runs', minInterval: 1 },
      series: [{ type: 'bar', data: counts, barCategoryGap: '8%', itemStyle: { color: '#4c90f0' } }],
    };
  }, [result]);
  return <EChart option={option} dark={dark} height={220} label={`Latency histogram of ${result.runs} runs`} />;
}
