/** The model summary laid out as cards: key figures, I/O, operators chart, weights and metadata. */
import { Card, H5, HTMLTable } from '@blueprintjs/core';
import { useMemo } from 'react';
import type { ModelSummary, TensorInfo } from '../../../shared/api/model-summary';
import { EChart, type ChartOption } from '../../components/echart';
import { modelSelectors, uiSelectors, useStudio } from '../../store';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';
import { formatShape } from './format';
import { InputSpecCard } from './input-spec-card';
import { LabelsCard } from './labels-card';
import { PreprocessCard } from './preprocess-card';

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="ds-stat" title={title}>
      <div className="ds-stat-value">{value}</div>
      <div className="ds-stat-label">{label}</div>
    </div>
  );
}

function IoTable({ title, rows, testId }: { title: string; rows: TensorInfo[]; testId: string }) {
  return (
    <Card className="ds-card" data-testid={testId}>
      <H5>{title}</H5>
      <HTMLTable compact striped className="ds-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Shape</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.name}>
              <td className="ds-mono ds-untrusted">{t.name}</td>
              <td className="ds-mono">{t.dtype}</td>
              <td className="ds-mono ds-untrusted">{formatShape(t)}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={3} className="ds-muted">
                none
              </td>
            </tr>
          )}
        </tbody>
      </HTMLTable>
    </Card>
  );
}

function OperatorsChart({ opCounts }: { opCounts: Record<string, number> }) {
  const dark = useStudio(uiSelectors.theme) === 'dark';
  const entries = useMemo(() => Object.entries(opCounts).sort((a, b) => b[1] - a[1]), [opCounts]);
  const shown = entries.slice(0, 24).reverse();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { opacity: 0.3 } } },
      yAxis: { type: 'category', data: shown.map(([op]) => op), axisLabel: { fontFamily: 'monospace' } },
      series: [{ type: 'bar', barMaxWidth: 16, data: shown.map(([, n]) => n), itemStyle: { color: '#2d72d2' }, label: { show: true, position: 'right' } }],
    }),
    [shown],
  );
  return (
    <Card className="ds-card ds-card-wide" data-testid="operators">
      <H5>
        Operators <span className="ds-muted">({entries.length} types{entries.length > 24 ? ', top 24 shown' : ''})</span>
      </H5>
      <EChart option={option} dark={dark} height={Math.max(120, shown.length * 22 + 24)} label="Operator counts" />
    </Card>
  );
}

/** Renders the summary. */
export function SummaryView({ summary }: { summary: ModelSummary }) {
  const modelId = useStudio(modelSelectors.modelId);
  const weightBytes = Object.values(summary.weightBytesByDtype).reduce((a, b) => a + b, 0);
  const meta = Object.entries(summary.metadataProps);
  return (
    <div className="ds-summary" data-testid="summary">
      <Card className="ds-card ds-card-wide ds-stats">
        <Stat label="nodes" value={summary.nodeCount.toLocaleString('en-US')} />
        <Stat label="in subgraphs" value={summary.subgraphNodeCount.toLocaleString('en-US')} />
        <Stat label="parameters" value={formatCount(summary.paramCount)} title={summary.paramCount.toLocaleString('en-US')} />
        <Stat label="initializers" value={summary.initializerCount.toLocaleString('en-US')} />
        <Stat label="weights" value={formatBytes(weightBytes)} />
        <Stat label="operator types" value={String(Object.keys(summary.opCounts).length)} />
        {summary.macs != null && <Stat label="MACs per inference" value={formatCount(summary.macs)} title={`${summary.macs.toLocaleString('en-US')} multiply-accumulates, ${(summary.flops ?? 0).toLocaleString('en-US')} FLOPs (symbolic dims = 1)`} />}
      </Card>
      <IoTable title="Inputs" rows={summary.inputs} testId="inputs" />
      <IoTable title="Outputs" rows={summary.outputs} testId="outputs" />
      {modelId && <InputSpecCard modelId={modelId} />}
      {modelId && <PreprocessCard modelId={modelId} />}
      {modelId && <LabelsCard modelId={modelId} />}
      <OperatorsChart opCounts={summary.opCounts} />
      <Card className="ds-card">
        <H5>Weights by type</H5>
        <HTMLTable compact className="ds-table">
          <tbody>
            {Object.entries(summary.weightBytesByDtype).map(([dt, b]) => (
              <tr key={dt}>
                <td className="ds-mono">{dt}</td>
                <td className="ds-num">{formatBytes(b)}</td>
              </tr>
            ))}
            {weightBytes === 0 && (
              <tr>
                <td className="ds-muted">no stored weights</td>
              </tr>
            )}
          </tbody>
        </HTMLTable>
      </Card>
      <Card className="ds-card">
        <H5>Model</H5>
        <HTMLTable compact className="ds-table">
          <tbody>
            <tr>
              <td>Producer</td>
              <td className="ds-untrusted-block">{[summary.producerName, summary.producerVersion].filter(Boolean).join(' ') || '—'}</td>
            </tr>
            <tr>
              <td>Domain</td>
              <td className="ds-untrusted-block">{summary.domain || '—'}</td>
            </tr>
            <tr>
              <td>Model version</td>
              <td>{summary.modelVersion}</td>
            </tr>
            <tr>
              <td>Functions</td>
              <td>{summary.functionCount}</td>
            </tr>
            {meta.map(([k, v]) => (
              <tr key={k}>
                <td className="ds-mono ds-untrusted-block">{k}</td>
                <td className="ds-untrusted-block">{v}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
        {summary.docString && <p className="ds-muted ds-untrusted-block">{summary.docString}</p>}
      </Card>
    </div>
  );
}
