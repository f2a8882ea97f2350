/** The comparison table: one row per variant, deltas against the reference coloured good or bad. */
import { HTMLTable, Tag, Tooltip } from '@blueprintjs/core';
import type { CompareResultDto, CompareRowDto } from '../../../shared/api/evaluate-dto';
import { NoiseMark } from '../../components/figures/session-settings';
import { accuracyDelta, accuracyTone, coefficientOfVariation, ms, pct, ratioDelta, ratioTone, snr, type Tone } from '../../../shared/evaluate/compare-format';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';

function Delta({ text, tone, label }: { text: string; tone: Tone; label: string }) {
  return (
    <td className={`ds-num ds-tone-${tone}`} data-tone={tone} aria-label={`${label}: ${text}`}>
      {text}
    </td>
  );
}

function Row({ r, onFront }: { r: CompareRowDto; onFront: boolean }) {
  return (
    <tr className={r.isReference ? 'ds-compare-ref-row' : ''} data-testid="compare-row">
      <td>
        <strong>{r.name}</strong>{' '}
        {r.isReference ? (
          <Tag minimal intent="primary">
            reference
          </Tag>
        ) : (
          <Tag minimal>{r.kind}</Tag>
        )}
        {onFront && (
          <Tooltip content="On the Pareto front: no other variant is both faster and more accurate" compact>
            <Tag minimal intent="success" className="ds-compare-front">
              Pareto
            </Tag>
          </Tooltip>
        )}
      </td>
      <td className="ds-num" data-testid="compare-top1">{pct(r.accuracyTop1)}</td>
      {r.isReference ? <td className="ds-num">—</td> : <Delta text={accuracyDelta(r.delta.accuracyTop1)} tone={accuracyTone(r.delta.accuracyTop1)} label="top-1 change" />}
      <td className="ds-num">{pct(r.accuracyTop5)}</td>
      <td className="ds-num">{pct(r.agreementTop1)}</td>
      <td className="ds-num">{snr(r)}</td>
      <td className="ds-num">
        {ms(r.latencyMs.p50)} <NoiseMark compact cv={coefficientOfVariation(r.latenciesMs)} runs={r.latenciesMs.length} />
      </td>
      <td className="ds-num">{ms(r.latencyMs.p90)}</td>
      <td className="ds-num">{ms(r.latencyMs.p99)}</td>
      {r.isReference ? <td className="ds-num">—</td> : <Delta text={ratioDelta(r.delta.latencyP50Ratio)} tone={ratioTone(r.delta.latencyP50Ratio)} label="latency change" />}
      <td className="ds-num">{r.throughput.toFixed(0)}/s</td>
      <td className="ds-num">{formatBytes(r.sizeBytes)}</td>
      {r.isReference ? <td className="ds-num">—</td> : <Delta text={ratioDelta(r.delta.sizeRatio)} tone={ratioTone(r.delta.sizeRatio)} label="size change" />}
      <td className="ds-num">{r.peakRssBytes ? formatBytes(r.peakRssBytes) : '—'}</td>
      <td className="ds-num">{formatCount(r.params)}</td>
      <td className="ds-num">{formatCount(r.macs)}</td>
    </tr>
  );
}

/** Renders the table of a comparison. */
export function CompareTable({ result }: { result: CompareResultDto }) {
  return (
    <div className="ds-compare-table-wrap">
      <HTMLTable compact striped className="ds-compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>variant</th>
            <th>top-1</th>
            <th>Δ top-1</th>
            <th>top-5</th>
            <th>agreement</th>
            <th>SNR</th>
            <th>p50</th>
            <th>p90</th>
            <th>p99</th>
            <th>Δ p50</th>
            <th>throughput</th>
            <th>size</th>
            <th>Δ size</th>
            <th>peak mem</th>
            <th>params</th>
            <th>MACs</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r, i) => (
            <Row key={`${r.name}-${i}`} r={r} onFront={result.paretoFront.includes(i)} />
          ))}
        </tbody>
      </HTMLTable>
    </div>
  );
}
