/** A quantized variant's report: summary, kept-in-float nodes, accuracy, target estimate and the sorted error table. */
import { Button, Callout, Card, H5, HTMLTable, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { fidelityLine, type KeptFloatDto, type QuantErrorRowDto, type QuantizeReportDto } from '../../../shared/api/quantize-api';
import { formatBytes } from '../../../shared/format/bytes';
import { useStudio } from '../../store';
import { quantErrorOverlay } from '../../store/quantize-slice';

const ROWS = 40;
/** SNR at which a bar is full. */
const FULL_DB = 50;

/** @returns the colour class of an SNR: red under 15 dB, orange under 25, green from there. */
function snrClass(snr: number | null): string {
  if (snr === null) return 'ds-snr-good';
  return snr < 15 ? 'ds-snr-bad' : snr < 25 ? 'ds-snr-warn' : 'ds-snr-good';
}

function SnrCell({ snr }: { snr: number | null }) {
  const width = snr === null ? 100 : Math.max(2, Math.min(100, (100 * snr) / FULL_DB));
  return (
    <td className="ds-snr-cell">
      <div className={`ds-snr-bar ${snrClass(snr)}`} style={{ width: `${width}%` }} />
      <span className="ds-num">{snr === null ? 'exact' : snr <= -999 ? '−∞' : snr.toFixed(1)}</span>
    </td>
  );
}

/** Nodes with the reason each stays in float. */
function NodeReasons({ rows, caption, testId }: { rows: KeptFloatDto[]; caption?: string; testId?: string }) {
  return (
    <HTMLTable compact className="ds-table" data-testid={testId}>
      {caption && <caption className="ds-muted">{caption}</caption>}
      <tbody>
        {rows.map((k) => (
          <tr key={k.node}>
            <td className="ds-mono">{k.node}</td>
            <td>{k.op}</td>
            <td className="ds-small">{k.reason}</td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}

/** The quantizable nodes the pass left in float on its own (not asked to), folded behind a toggle. */
function SkippedList({ rows }: { rows: KeptFloatDto[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div data-testid="quantize-skipped">
      <Button size="small" variant="minimal" icon={open ? 'chevron-down' : 'chevron-right'} text={`${rows.length} quantizable node(s) left in float`} onClick={() => setOpen(!open)} />
      {open && <NodeReasons rows={rows} />}
    </div>
  );
}

function ErrorTable({ rows }: { rows: QuantErrorRowDto[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, ROWS);
  return (
    <>
      <HTMLTable compact striped className="ds-table ds-quant-table" data-testid="quant-error-table">
        <thead>
          <tr>
            <th>SNR (dB)</th>
            <th title="The SNR of the node's output when it alone is quantized (fed float inputs): the error it introduces itself">own SNR</th>
            <th>cosine</th>
            <th>max |err|</th>
            <th>op</th>
            <th>tensor</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={`${r.kind}:${r.tensor}`} data-testid="quant-error-row" className={r.kind === 'output' ? 'ds-quant-output-row' : undefined}>
              <SnrCell snr={r.snrDb} />
              <td className="ds-num ds-muted">{r.localSnrDb === undefined ? '' : r.localSnrDb === null ? 'exact' : r.localSnrDb.toFixed(1)}</td>
              <td className="ds-num">{r.cosine.toFixed(4)}</td>
              <td className="ds-num">{r.maxAbs.toPrecision(3)}</td>
              <td>{r.kind === 'output' ? <Tag minimal>output</Tag> : r.op}</td>
              <td className="ds-mono" title={r.node}>
                {r.tensor}
              </td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      {rows.length > ROWS && <Button size="small" variant="minimal" text={all ? 'Show fewer' : `Show all ${rows.length} tensors`} onClick={() => setAll(!all)} />}
    </>
  );
}

/** Renders the report of a quantized variant. */
export function QuantizeReportView({ name, report }: { name: string; report: QuantizeReportDto }) {
  const setOverlay = useStudio((s) => s.setOverlay);
  const setActiveOverlay = useStudio((s) => s.setActiveOverlay);
  const setPlace = useStudio((s) => s.setPlace);
  const overlay = quantErrorOverlay(report, name);
  const ratio = report.weightBytesBefore ? (100 * report.weightBytesAfter) / report.weightBytesBefore : 100;
  const ops = Object.entries(report.quantizedOps ?? {}).map(([op, n]) => `${n} ${op}`);
  return (
    <Card className="ds-card ds-quant-report" data-testid="quantize-report">
      <H5>
        {name} <span className="ds-muted">— {report.mode === 'fp16' ? 'float16' : `${report.mode} int8`}</span>
      </H5>
      <div className="ds-quant-summary">
        <Tag large intent="primary" data-testid="quantized-count">
          {report.quantizedNodeCount} {report.mode === 'fp16' ? 'fp16 nodes' : 'quantized nodes'}
        </Tag>
        <Tag large minimal>
          weights {formatBytes(report.weightBytesBefore)} → {formatBytes(report.weightBytesAfter)} ({ratio.toFixed(1)} %)
        </Tag>
        {report.outputSnrDb !== null && (
          <Tag large minimal className={snrClass(report.outputSnrDb)} data-testid="output-snr">
            output SNR {report.outputSnrDb.toFixed(1)} dB
          </Tag>
        )}
        {report.format && <Tag minimal>{report.format.toUpperCase()}</Tag>}
        {report.method && <Tag minimal>{report.method}</Tag>}
      </div>
      {ops.length > 0 && <div className="ds-muted ds-small">{ops.join(' · ')}</div>}
      {report.calibration && <div className="ds-muted ds-small">Calibrated on {report.calibration}.</div>}
      {report.randomCalibration && (
        <Callout intent="warning" compact>
          Calibrated on random data: give calibration data before deploying this variant.
        </Callout>
      )}
      {report.accuracy && (
        <Callout intent={report.accuracy.met ? 'success' : 'warning'} compact data-testid="quantize-accuracy">
          {report.accuracy.metric} on {report.accuracy.evalData}: float {report.accuracy.float.toFixed(2)} %, quantized {report.accuracy.quantized.toFixed(2)} % —{' '}
          {report.accuracy.met ? 'within' : 'not within'} the allowed drop of {report.accuracy.maxDrop}
          {report.accuracy.relative ? ' %' : ' points'}.
        </Callout>
      )}
      {report.fidelity && (
        <Callout intent={report.fidelity.met ? 'success' : 'danger'} compact data-testid="quantize-fidelity" title={report.fidelity.met ? undefined : 'Not a success: below the fidelity minimum'}>
          {fidelityLine(report.fidelity)}. Metric: {report.fidelity.why}.{report.fidelity.fallback ? ` ${report.fidelity.fallback}` : ''}
        </Callout>
      )}
      {report.keptFloat.length > 0 && <NodeReasons rows={report.keptFloat} caption="Kept in float" testId="quantize-kept-float" />}
      {report.skipped && report.skipped.length > 0 && <SkippedList rows={report.skipped} />}
      {report.targetEstimate && (
        <div className="ds-small" data-testid="quantize-estimate">
          Estimated on {report.targetEstimate.targetName}: {report.targetEstimate.floatMs.toFixed(2)} → {report.targetEstimate.quantizedMs.toFixed(2)} ms ({report.targetEstimate.speedup.toFixed(2)}×).{' '}
          <span className="ds-muted">{report.targetEstimate.note}</span>
        </div>
      )}
      {report.errorTable.length > 0 && (
        <>
          <div className="ds-quant-table-head">
            <span className="ds-muted">
              {report.mode === 'fp16' ? 'float32 vs float16 outputs' : 'Float vs quantized activations, worst first'} ({report.errorTable.length} tensors)
            </span>
            {overlay && (
              <Button
                size="small"
                icon="graph"
                text="Show on graph"
                onClick={() => {
                  setOverlay(overlay);
                  setActiveOverlay(overlay.id);
                  setPlace('graph');
                }}
                data-testid="quantize-show-graph"
              />
            )}
          </div>
          <ErrorTable rows={report.errorTable} />
        </>
      )}
    </Card>
  );
}
