/** The report of a pruned variant: output error before and after recovery, params/MACs, sizes, what stayed intact. */
import { Card, H5, HTMLTable } from '@blueprintjs/core';
import type { FidelityMetricsDto } from '../../../shared/api/evaluate-dto';
import { formatBytes } from '../../../shared/format/bytes';
import type { ChannelPruneReport, MagnitudePruneReport } from '../../../shared/prune/prune-report';
import { PruneChart } from './prune-chart';
import { PruneGraphButton } from './prune-graph-button';
import { change, ChannelsRemoved, RoundingNote } from './prune-preview';

/** @returns a change as a signed share of before, e.g. `−38.2 %`. */
function formatShare(before: number, after: number): string {
  const d = before > 0 ? (after - before) / before : 0;
  return `${d < 0 ? '−' : d > 0 ? '+' : '±'}${(100 * Math.abs(d)).toFixed(1)} %`;
}

function metricCells(m: FidelityMetricsDto | undefined) {
  if (!m) return <td colSpan={3} className="ds-muted">not run</td>;
  return (
    <>
      <td className="ds-num">{m.snrDb === null ? '∞' : `${m.snrDb.toFixed(1)} dB`}</td>
      <td className="ds-num">{m.cosine.toFixed(4)}</td>
      <td className="ds-num">{m.agreementTop1 === null ? '—' : `${(100 * m.agreementTop1).toFixed(1)} %`}</td>
    </>
  );
}

function ErrorTable({ report }: { report: ChannelPruneReport | MagnitudePruneReport }) {
  const after = report.method === 'channel' ? report.error.after : undefined;
  return (
    <HTMLTable compact className="ds-table" data-testid="prune-error">
      <caption className="ds-muted">Output error against the original on {report.error.data}</caption>
      <thead>
        <tr>
          <th />
          <th>SNR</th>
          <th>cosine</th>
          <th>top-1 agreement</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{report.method === 'channel' ? 'pruned' : 'sparse'}</td>
          {metricCells(report.error.before)}
        </tr>
        {report.method === 'channel' && report.recovery && (
          <tr>
            <td>after recovery</td>
            {metricCells(after)}
          </tr>
        )}
      </tbody>
    </HTMLTable>
  );
}

/** Renders a prune pass report. */
export function PruneReportView({ name, report }: { name: string; report: ChannelPruneReport | MagnitudePruneReport }) {
  return (
    <Card className="ds-card" data-testid="prune-report">
      <H5>
        {name} <span className="ds-muted">— {report.method === 'channel' ? 'channel pruning' : 'magnitude pruning'}</span>
      </H5>
      <div className="ds-prune-totals">
        <span>params {change(report.paramsBefore, report.paramsAfter)}</span>
        <span>MACs {change(report.macsBefore, report.macsAfter)}</span>
        {report.method === 'channel' ? (
          <ChannelsRemoved before={report.channelsBefore} after={report.channelsAfter} asked={report.global ? null : report.sparsity} testId="prune-result-fraction" />
        ) : (
          <>
            <span>sparsity {(100 * report.sparsityAchieved).toFixed(2)} %</span>
            <span data-testid="prune-compressed">
              compressed package {formatBytes(report.compressedBytesBefore)} → {formatBytes(report.compressedBytesAfter)} ({formatShare(report.compressedBytesBefore, report.compressedBytesAfter)})
            </span>
          </>
        )}
        <span className="ds-muted">checked in onnxruntime on {report.verifiedRuns} input(s)</span>
        {report.method === 'channel' && <PruneGraphButton layers={report.layers} title={`Pruned fraction (${name})`} />}
      </div>
      <ErrorTable report={report} />
      {report.method === 'channel' && report.rounding && <RoundingNote rounding={report.rounding} />}
      {report.method === 'magnitude' && (
        <PruneChart
          unit="weights"
          layers={report.layers.map((l) => ({ node: l.node, op: l.op, group: -1, before: l.weights, after: l.weights - l.zerosAfter, ...(l.skipped ? { note: l.skipped } : {}) }))}
        />
      )}
      {report.method === 'channel' && report.recovery && report.recovery.layers.length > 0 && (
        <HTMLTable compact className="ds-table">
          <caption className="ds-muted">Least-squares re-fit per layer (relative output error on the fitted rows)</caption>
          <tbody>
            {report.recovery.layers.map((l) => (
              <tr key={l.node}>
                <td className="ds-mono">{l.node}</td>
                <td className="ds-num">
                  {(100 * l.errorBefore).toFixed(1)} % → {(100 * l.errorAfter).toFixed(1)} %
                </td>
                <td className="ds-muted">
                  {l.rows} rows × {l.features} features
                </td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
    </Card>
  );
}
