/** ECharts options of a comparison (the same in the Compare screen and in the HTML report): plain objects, no DOM. */
import type { EChartsOption } from 'echarts';
import type { CompareResultDto, CompareRowDto } from '../api/evaluate-dto';
import { formatBytes, MIB } from '../format/bytes';
import { rowColorKey, variantColors } from './variant-palette';

/** The Pareto front's line and the search's pick (variants take their own colours: see variant-palette). */
const FRONT = '#238551';
const PICK = '#CD4246';

/** @returns each row's colour, stable per variant and distinct within the result. */
export function rowColors(result: CompareResultDto): string[] {
  return variantColors(result.rows.map(rowColorKey));
}

/** Category axis labels that do not overlap: rotated when there are many or long names, long ones cut with an ellipsis. */
function categoryLabels(result: CompareResultDto): { interval: number; rotate: number; width: number; overflow: 'truncate' } {
  const longest = result.rows.reduce((m, r) => Math.max(m, r.name.length), 0);
  const rotate = result.rows.length > 4 || longest * result.rows.length > 48 ? 25 : 0;
  return { interval: 0, rotate, width: rotate ? 140 : Math.max(60, Math.floor(480 / Math.max(1, result.rows.length))), overflow: 'truncate' };
}

/** @returns the accuracy figure a chart plots for a row: top-1 accuracy, else top-1 agreement with the reference. */
export function accuracyOf(row: CompareRowDto): number | null {
  return row.accuracyTop1 ?? row.agreementTop1;
}

/** @returns what {@link accuracyOf} plots, for axis names. */
export function accuracyLabel(result: CompareResultDto): string {
  return result.rows.some((r) => r.accuracyTop1 !== null) ? 'top-1 accuracy (%)' : 'top-1 agreement with the reference (%)';
}

/** Quartiles of a sample (linear interpolation, like the latency percentiles). */
export function boxStats(values: readonly number[]): [number, number, number, number, number] {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return [0, 0, 0, 0, 0];
  const q = (p: number) => {
    const r = p * (s.length - 1);
    const lo = Math.floor(r);
    const hi = Math.ceil(r);
    return s[lo] + (s[hi] - s[lo]) * (r - lo);
  };
  return [s[0], q(0.25), q(0.5), q(0.75), s[s.length - 1]];
}

const ms = (v: number) => (v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1));

/**
 * Accuracy against latency, one point per variant, with the Pareto front drawn as a line.
 * @param recommended - a row index to mark (the search's pick)
 */
export function scatterOption(result: CompareResultDto, recommended: number | null = null): EChartsOption {
  const colors = rowColors(result);
  const points = result.rows.map((r, i) => ({
    name: r.name,
    value: [r.latencyMs.p50, (accuracyOf(r) ?? NaN) * 100],
    // the reference is a diamond, the search's pick ringed in red; the colour is the variant's own
    symbol: r.isReference ? 'diamond' : 'circle',
    itemStyle: { color: colors[i], ...(i === recommended ? { borderColor: PICK, borderWidth: 3 } : {}) },
    symbolSize: i === recommended ? 18 : 12,
  }));
  const front = result.paretoFront.map((i) => points[i].value);
  return {
    animation: false,
    grid: { left: 56, right: 96, top: 36, bottom: 48 },
    tooltip: { trigger: 'item' },
    legend: { top: 4, data: ['Pareto front'] },
    xAxis: { type: 'value', name: 'latency p50 (ms)', nameLocation: 'middle', nameGap: 28, scale: true, boundaryGap: ['15%', '15%'] },
    yAxis: {
      type: 'value',
      name: accuracyLabel(result),
      nameLocation: 'middle',
      nameGap: 40,
      scale: true,
      max: (v: { max: number; min: number }) => Math.min(100, Math.ceil(v.max + Math.max(1, (v.max - v.min) * 0.15))),
      min: (v: { max: number; min: number }) => Math.max(0, Math.floor(v.min - Math.max(1, (v.max - v.min) * 0.15))),
    },
    series: [
      {
        name: 'variants',
        type: 'scatter',
        data: points,
        label: { show: true, position: 'right', distance: 8, formatter: '{b}', fontSize: 11 },
        // labels of variants with close figures move apart vertically, tied to their point by a line
        labelLayout: { moveOverlap: 'shiftY', hideOverlap: false },
        labelLine: { show: true, length2: 4, lineStyle: { opacity: 0.5 } },
        tooltip: { formatter: '{b}' },
      },
      { name: 'Pareto front', type: 'line', data: front, lineStyle: { color: FRONT, type: 'dashed' }, itemStyle: { color: FRONT }, symbol: 'none', step: 'end', silent: true },
    ],
  };
}

/** Tukey's box: quartiles, whiskers at the last runs within 1.5 IQR of the box, the runs beyond as outliers. */
export function tukeyBox(values: readonly number[]): { box: [number, number, number, number, number]; outliers: number[] } {
  const [min, q1, median, q3, max] = boxStats(values);
  const iqr = q3 - q1;
  const lo = values.filter((v) => v >= q1 - 1.5 * iqr).reduce((m, v) => Math.min(m, v), Infinity);
  const hi = values.filter((v) => v <= q3 + 1.5 * iqr).reduce((m, v) => Math.max(m, v), -Infinity);
  const box: [number, number, number, number, number] = [Number.isFinite(lo) ? lo : min, q1, median, q3, Number.isFinite(hi) ? hi : max];
  return { box, outliers: values.filter((v) => v < box[0] || v > box[4]) };
}

/** Latency distributions as box plots (quartiles, Tukey whiskers; outliers as points, the axis fitted to the boxes). */
export function latencyBoxOption(result: CompareResultDto): EChartsOption {
  const colors = rowColors(result);
  const labels = categoryLabels(result);
  const boxes = result.rows.map((r) => tukeyBox(r.latenciesMs));
  const top = boxes.reduce((m, b) => Math.max(m, b.box[4]), 0);
  const bottom = boxes.reduce((m, b) => Math.min(m, b.box[0]), Infinity);
  const pad = Math.max((top - bottom) * 0.25, top * 0.05);
  const clipped = boxes.reduce((n, b) => n + b.outliers.filter((v) => v > top + pad).length, 0);
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 24, bottom: labels.rotate ? 80 : 56 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: result.rows.map((r) => r.name),
      axisLabel: labels,
      name: clipped ? `${clipped} slower run${clipped === 1 ? '' : 's'} above the axis (see p99 and max)` : '',
      nameLocation: 'middle',
      nameGap: labels.rotate ? 56 : 32,
    },
    yAxis: {
      type: 'value',
      name: 'latency (ms)',
      nameLocation: 'middle',
      nameGap: 40,
      min: Math.max(0, bottom - pad),
      max: top + pad,
      axisLabel: { formatter: (v: number) => ms(v) },
    },
    series: [
      {
        name: 'outliers',
        type: 'scatter',
        clip: true,
        symbolSize: 4,
        itemStyle: { color: '#8F99A8' },
        data: boxes.flatMap((b, i) => b.outliers.map((v) => [i, v])),
        tooltip: { formatter: (p: unknown) => `${ms((p as { value: number[] }).value[1])} ms` },
      },
      {
        name: 'latency',
        type: 'boxplot',
        data: result.rows.map((r, i) => ({ value: boxes[i].box, itemStyle: { borderColor: colors[i], borderWidth: r.isReference ? 2.5 : 1.5 } })),
        tooltip: {
          formatter: (p: unknown) => {
            const v = (p as { value: number[]; name: string }).value;
            const row = result.rows.find((r) => r.name === (p as { name: string }).name);
            return `${(p as { name: string }).name}<br/>quartiles ${ms(v[2])} · ${ms(v[3])} · ${ms(v[4])} ms${row ? `<br/>p90 ${ms(row.latencyMs.p90)} · p99 ${ms(row.latencyMs.p99)} · max ${ms(row.latencyMs.max)} ms` : ''}`;
          },
        },
      },
    ],
  };
}

/** File size (and peak memory of the inference process) per variant, in MiB. */
export function sizeBarsOption(result: CompareResultDto): EChartsOption {
  const mib = (b: number) => Math.round((b / MIB) * 1000) / 1000;
  const colors = rowColors(result);
  const labels = categoryLabels(result);
  return {
    animation: false,
    grid: { left: 56, right: 56, top: 36, bottom: labels.rotate ? 72 : 48 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatBytes(v * MIB) : String(v)) },
    legend: { top: 4, data: ['file size (MiB)', 'peak memory (MiB)'] },
    xAxis: { type: 'category', data: result.rows.map((r) => r.name), axisLabel: labels },
    yAxis: [
      { type: 'value', name: 'file MiB', nameLocation: 'middle', nameGap: 40 },
      { type: 'value', name: 'memory MiB', nameLocation: 'middle', nameGap: 40, splitLine: { show: false } },
    ],
    series: [
      {
        name: 'file size (MiB)',
        type: 'bar',
        data: result.rows.map((r, i) => ({ value: mib(r.sizeBytes), itemStyle: { color: colors[i] } })),
        label: { show: true, position: 'top', fontSize: 10, formatter: (p: unknown) => formatBytes(Number((p as { value: number }).value) * MIB) },
      },
      { name: 'peak memory (MiB)', type: 'bar', yAxisIndex: 1, data: result.rows.map((r) => mib(r.peakRssBytes)), itemStyle: { color: '#8F99A8' } },
    ],
  };
}

/**
 * The confusion matrix of one variant as a heat map (rows: true class, columns: predicted).
 * @param dark - colours for a dark background (empty cells stay dark)
 */
export function confusionOption(row: CompareRowDto, classNames: readonly string[] | null, dark = false): EChartsOption {
  const m = row.confusion ?? [];
  const names = m.map((_, i) => {
    const c = row.confusionClasses?.[i] ?? i;
    return classNames?.[c] ?? String(c);
  });
  const data: Array<[number, number, number]> = [];
  let max = 1;
  m.forEach((r, t) =>
    r.forEach((v, p) => {
      data.push([p, t, v]);
      if (v > max) max = v;
    }),
  );
  return {
    animation: false,
    grid: { left: 96, right: 24, top: 16, bottom: 96 },
    tooltip: { formatter: (p: unknown) => {
      const v = (p as { value: [number, number, number] }).value;
      return `true ${names[v[1]]}<br/>predicted ${names[v[0]]}: ${v[2]}`;
    } },
    xAxis: { type: 'category', data: names, name: 'predicted', nameLocation: 'middle', nameGap: 80, axisLabel: { interval: 0, rotate: 40 } },
    yAxis: { type: 'category', data: names, name: 'true', nameLocation: 'middle', nameGap: 84, inverse: true, axisLabel: { interval: 0 } },
    visualMap: { min: 0, max, show: false, inRange: { color: dark ? ['#2F343C', '#215DB0', '#8ABBFF'] : ['#F6F7F9', '#8ABBFF', '#215DB0'] } },
    series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10, formatter: (p: unknown) => String((p as { value: number[] }).value[2] || '') } }],
  };
}
