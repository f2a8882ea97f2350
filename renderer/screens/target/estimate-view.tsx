/** Estimated vs measured latency and memory for the chosen target, with the estimate's uncertainty and a measure button. */
import { NoiseMark, SessionSettings } from '../../components/figures/session-settings';
import { Button, Callout, Card, H5, HTMLTable, ProgressBar, Tag } from '@blueprintjs/core';
import { useMemo } from 'react';
import type { CheckResultDto, LatencyEstimateDto } from '../../../shared/api/targets-api';
import { EChart, type ChartOption } from '../../components/echart';
import { jobSelectors, targetSelectors, uiSelectors, useStudio } from '../../store';
import type { TargetMeasurement } from '../../store/target-slice';
import { formatBytes } from '../../../shared/format/bytes';

/** @returns milliseconds with sensible precision. */
export function formatMs(ms: number): string {
  return `${ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)} ms`;
}

function LatencyChart({ latency, measured, hostRow }: { latency: LatencyEstimateDto; measured: TargetMeasurement | null; hostRow: boolean }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const option = useMemo<ChartOption>(() => {
    const rows = ['Estimated', ...(measured ? [hostRow ? 'Measured' : 'Measured here'] : [])];
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: 'ms', nameLocation: 'end', splitLine: { lineStyle: { opacity: 0.3 } } },
      yAxis: { type: 'category', data: rows, inverse: true },
      series: [
        { type: 'bar', stack: 'range', silent: true, itemStyle: { color: 'transparent' }, data: [latency.lowMs, null], barWidth: 18 },
        {
          type: 'bar',
          stack: 'range',
          name: 'uncertainty',
          itemStyle: { color: 'rgba(45, 114, 210, 0.28)', borderColor: '#2d72d2', borderWidth: 1 },
          data: [latency.highMs - latency.lowMs, null],
          tooltip: { formatter: () => `estimate range ${formatMs(latency.lowMs)} – ${formatMs(latency.highMs)} (×/÷ ${latency.uncertaintyFactor})` },
          barWidth: 18,
        },
        {
          type: 'scatter',
          name: 'value',
          symbolSize: 14,
          data: [
            { value: [latency.ms, 'Estimated'], itemStyle: { color: '#2d72d2' } },
            ...(measured ? [{ value: [measured.p50Ms, rows[1]], symbol: 'diamond', itemStyle: { color: '#238551' } }] : []),
          ],
          tooltip: { formatter: (p: { value: [number, string] }) => `${p.value[1]}: ${formatMs(p.value[0])}` },
        },
      ],
    };
  }, [latency, measured, hostRow]);
  return <EChart option={option} dark={dark} height={measured ? 110 : 80} label="Estimated latency range and measured latency" />;
}

function MeasureButton() {
  const jobId = useStudio(targetSelectors.measureJobId);
  const job = useStudio(jobSelectors.job(jobId ?? ''));
  const measure = useStudio((s) => s.measureOnHost);
  const cancel = useStudio((s) => s.cancelJob);
  if (jobId) {
    return (
      <div className="ds-target-measuring" data-testid="measure-progress">
        <ProgressBar value={job ? Math.max(0.03, job.progress) : undefined} intent="primary" stripes={!job} />
        <span className="ds-muted">{job?.stage ?? 'starting'}</span>
        <Button size="small" icon="stop" onClick={() => void cancel(jobId)}>
          Cancel
        </Button>
      </div>
    );
  }
  return (
    <Button icon="stopwatch" onClick={() => void measure()} data-testid="measure-host" title="Benchmark the model here with this profile's session settings (providers, threads, optimization level)">
      Measure on this host
    </Button>
  );
}

function MeasuredText({ check, measured }: { check: CheckResultDto; measured: TargetMeasurement | null }) {
  const est = check.latency;
  const isHost = check.target.id === 'host';
  if (!measured) {
    return <p className="ds-muted">{isHost ? 'Measure to compare the estimate with this machine.' : 'Nothing measured yet. Measuring runs here with this profile\u2019s settings; it shows this machine\u2019s speed, not the target\u2019s.'}</p>;
  }
  const ratio = est ? est.ms / measured.p50Ms : null;
  return (
    <div data-testid="measured">
      <p>
        <strong>{formatMs(measured.p50Ms)}</strong> measured p50 on this host ({measured.runs} runs, min {formatMs(measured.minMs)}, CV {(measured.cv * 100).toFixed(0)} %), peak RSS {formatBytes(measured.peakRssBytes)}.{' '}
        <SessionSettings options={measured.sessionOptions} /> <NoiseMark cv={measured.cv} runs={measured.runs} />
      </p>
      {isHost && ratio !== null && (
        <p data-testid="calibration-ratio">
          Estimate / measured = <strong>{ratio.toFixed(2)}</strong>{' '}
          <Tag minimal intent={ratio > 0.5 && ratio < 2 ? 'success' : 'warning'}>
            {ratio > 0.5 && ratio < 2 ? 'within 2×' : 'outside 2×'}
          </Tag>{' '}
          <span className="ds-muted">— how far the roofline is off on this machine; other targets&apos; estimates share its assumptions.</span>
        </p>
      )}
      {!isHost && (
        <p className="ds-muted">
          This is this machine running the model with {check.target.name}&apos;s session settings, not the target&apos;s latency. Choose
          &quot;This host&quot; and measure there to see how far the estimator is off on a machine it can check.
        </p>
      )}
    </div>
  );
}

/** Renders the estimate cards. */
export function EstimateView({ check }: { check: CheckResultDto }) {
  const measured = useStudio(targetSelectors.measurement);
  const measureError = useStudio(targetSelectors.measureError);
  const l = check.latency;
  const m = check.memory;
  const memShare = m.totalBytes / m.budgetBytes;
  const storeShare = m.storageBytes / m.storageBudgetBytes;
  return (
    <>
      <Card className="ds-card ds-target-latency" data-testid="latency-card">
        <div className="ds-card-head">
          <H5>Latency</H5>
          <MeasureButton />
        </div>
        {l ? (
          <>
            <div className="ds-target-big" data-testid="latency-estimate">
              ≈ {formatMs(l.ms)} <Tag minimal>estimated</Tag>
              <span className="ds-muted ds-target-band">
                {formatMs(l.lowMs)} – {formatMs(l.highMs)} (×/÷ {l.uncertaintyFactor})
              </span>
            </div>
            <LatencyChart latency={l} measured={measured} hostRow={check.target.id === 'host'} />
            <p className="ds-muted ds-target-bound">
              compute-bound {formatMs(l.computeBoundMs)} · memory-bound {formatMs(l.memoryBoundMs)} · overhead {formatMs(l.overheadMs)}
              {l.fusedNodes ? ` · ${l.fusedNodes} nodes fused` : ''}
            </p>
          </>
        ) : (
          <p className="ds-muted">No estimate: the model has no nodes.</p>
        )}
        <MeasuredText check={check} measured={measured} />
        {measureError && (
          <Callout intent="danger" icon="error" data-testid="measure-error">
            {measureError.message}
          </Callout>
        )}
      </Card>
      <Card className="ds-card" data-testid="memory-card">
        <H5>Memory and storage</H5>
        <div className="ds-target-meter">
          <span>
            Memory <Tag minimal>estimated</Tag>
          </span>
          <span className="ds-num">
            {formatBytes(m.totalBytes)} of {formatBytes(m.budgetBytes)}
          </span>
        </div>
        <ProgressBar value={Math.min(1, memShare)} intent={memShare > 1 ? 'danger' : memShare > 0.8 ? 'warning' : 'success'} stripes={false} animate={false} />
        <p className="ds-muted">
          weights {formatBytes(m.weightBytes)} + peak activations {formatBytes(m.peakActivationBytes)}
          {Object.keys(check.analysis.assumedDims).length ? ` at ${Object.keys(check.analysis.assumedDims).map((k) => `${k} = 1`).join(', ')}` : ''}
          {measured ? ` · measured here: peak RSS ${formatBytes(measured.peakRssBytes)} (the whole inference process)` : ''}
        </p>
        <div className="ds-target-meter">
          <span>Storage</span>
          <span className="ds-num">
            {formatBytes(m.storageBytes)} of {formatBytes(m.storageBudgetBytes)}
          </span>
        </div>
        <ProgressBar value={Math.min(1, storeShare)} intent={storeShare > 1 ? 'danger' : storeShare > 0.8 ? 'warning' : 'success'} stripes={false} animate={false} />
      </Card>
      {l && (
        <Card className="ds-card" data-testid="slowest-nodes">
          <H5>Slowest nodes (estimated)</H5>
          <HTMLTable compact striped className="ds-table">
            <thead>
              <tr>
                <th>Node</th>
                <th>Op</th>
                <th>Bound</th>
                <th className="ds-num">ms</th>
              </tr>
            </thead>
            <tbody>
              {l.slowestNodes.slice(0, 8).map((n) => (
                <tr key={`${n.graph}/${n.name}`}>
                  <td className="ds-mono ds-target-node" title={n.name}>
                    {n.name}
                  </td>
                  <td className="ds-mono">{n.opType}</td>
                  <td>{n.bound}</td>
                  <td className="ds-num">{n.ms.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        </Card>
      )}
    </>
  );
}
