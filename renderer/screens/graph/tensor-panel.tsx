/** One weight in the inspector: shape, dtype, size, statistics, a histogram and the first values, fetched on demand. */
import { Callout, HTMLTable, Spinner } from '@blueprintjs/core';
import { useEffect, useMemo, useState } from 'react';
import type { TensorDetailsDto } from '../../../shared/api/graph-api';
import type { SubgraphStep } from '../../../shared/graph/graph-dto';
import { EChart, type ChartOption } from '../../components/echart';
import { studioClient } from '../../services';
import { uiSelectors, useStudio } from '../../store';
import { formatBytes } from '../../../shared/format/bytes';

export interface TensorPanelProps {
  modelId: string;
  path: SubgraphStep[];
  name: string;
}

/** @returns a number in a compact readable form. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return Number(v.toPrecision(5)).toString();
}

/** Renders the panel. */
export function TensorPanel({ modelId, path, name }: TensorPanelProps) {
  const [details, setDetails] = useState<TensorDetailsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dark = useStudio(uiSelectors.theme) === 'dark';
  useEffect(() => {
    let live = true;
    setDetails(null);
    setError(null);
    studioClient()
      .api.getTensorDetails({ modelId, subgraphPath: path, name, previewCount: 48, bins: 48 })
      .then((d) => live && setDetails(d))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [modelId, path, name]);
  const option = useMemo<ChartOption | null>(() => {
    const h = details?.histogram;
    if (!h) return null;
    const width = (h.max - h.min) / h.counts.length;
    return {
      grid: { left: 36, right: 8, top: 8, bottom: 22 },
      tooltip: { trigger: 'axis', formatter: (p: Array<{ dataIndex: number; value: number }>) => `${fmt(h.min + p[0].dataIndex * width)} … ${fmt(h.min + (p[0].dataIndex + 1) * width)}: ${p[0].value}` },
      xAxis: { type: 'category', data: h.counts.map((_, i) => fmt(h.min + (i + 0.5) * width)), axisLabel: { fontSize: 9, interval: Math.floor(h.counts.length / 4) } },
      yAxis: { type: 'value', axisLabel: { fontSize: 9 }, splitLine: { lineStyle: { opacity: 0.3 } } },
      series: [{ type: 'bar', data: h.counts, barCategoryGap: '5%', itemStyle: { color: '#4c90f0' } }],
    };
  }, [details]);
  if (error) return <Callout intent="warning" compact>{error}</Callout>;
  if (!details) return <Spinner size={18} />;
  const s = details.stats;
  return (
    <div className="ds-tensor" data-testid="tensor-details">
      <HTMLTable compact className="ds-kv">
        <tbody>
          <tr><td>shape</td><td className="ds-mono">[{details.shape.join(', ')}]</td></tr>
          <tr><td>dtype</td><td className="ds-mono">{details.dtype}</td></tr>
          <tr><td>size</td><td>{details.elements.toLocaleString()} values · {formatBytes(details.bytes)}{details.external ? ' · external data' : ''}</td></tr>
          <tr><td>stored as</td><td>{details.source === 'constant' ? 'Constant node value' : 'initializer'}</td></tr>
          {s && (
            <>
              <tr><td>min / max</td><td className="ds-mono">{fmt(s.min)} / {fmt(s.max)}</td></tr>
              <tr><td>mean ± std</td><td className="ds-mono">{fmt(s.mean)} ± {fmt(s.std)}</td></tr>
              <tr><td>sparsity</td><td>{(s.sparsity * 100).toFixed(2)} % zeros ({s.zeros.toLocaleString()})</td></tr>
              {(s.nans > 0 || s.infs > 0) && <tr><td>non-finite</td><td>{s.nans} NaN · {s.infs} ±Inf</td></tr>}
            </>
          )}
        </tbody>
      </HTMLTable>
      {details.note && <p className="ds-muted ds-small">{details.note}</p>}
      {option && (
        <div data-testid="tensor-histogram">
          <EChart option={option} dark={dark} height={120} label={`Histogram of ${name}`} />
        </div>
      )}
      {details.preview.length > 0 && (
        <div className="ds-preview ds-mono" data-testid="tensor-preview">
          {details.preview.map((v, i) => (
            <span key={i}>{typeof v === 'number' ? fmt(v) : JSON.stringify(v)}</span>
          ))}
          {details.previewTruncated && <span className="ds-muted">… {(details.elements - details.preview.length).toLocaleString()} more</span>}
        </div>
      )}
    </div>
  );
}
