/** The comparison table: one row per variant, deltas against the reference coloured good or bad. */
import { HTMLTable, Tag, Tooltip } from '@blueprintjs/core';
import type { CompareResultDto, CompareRowDto } from '../../../shared/api/evaluate-dto';
import { NoiseMark } from '../../components/figures/session-settings';
import { accuracyDelta, accuracyTone, coefficientOfVariation, ms, pct, ratioDelta, ratioTone, snr, type Tone } from '../../../shared/evaluate/compare-format';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';
import { wilson95 } from '../../../shared/evaluate/data-overlap';
import { rowColorKey, variantColors } from '../../../shared/evaluate/variant-palette';

/** A proportion with its Wilson 95 % interval in small print (n is in the column header). */
function Proportion({ p, n, testId }: { p: number | null; n: number; testId?: string }) {
  const ci = p === null ? null : wilson95(p, n);
  return (
    <td className="ds-num">
      <span data-testid={testId}>{pct(p)}</span>
      {ci && (
        <span className="ds-compare-ci ds-muted" title={`95 % confidence interval (Wilson) over ${n} samples`}>
          {' '}
          {(100 * ci.low).toFixed(1)}–{(100 * ci.high).toFixed(1)}
        </span>
      )}
    </td>
  );
}

function Delta({ text, tone, label }: { text: string; tone: Tone; label: string }) {
  return (
    <td className={`ds-num ds-tone-${tone}`} data-tone={tone} aria-label={`${label}: ${text}`}>
      {text}
    </td>
  );
}

function Row({ r, onFront, n, color }: { r: CompareRowDto; onFront: boolean; n: number; color: string }) {
  return (
    <tr className={r.isReference ? 'ds-compare-ref-row' : ''} data-testid="compare-row">
      <td>
        <span className="ds-compare-swatch" style={{ background: color }} aria-hidden />
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
      <Proportion p={r.accuracyTop1} n={n} testId="compare-top1" />
      {r.isReference ? <td className="ds-num">—</td> : <Delta text={accuracyDelta(r.delta.accuracyTop1)} tone={accuracyTone(r.delta.accuracyTop1)} label="top-1 change" />}
      <td className="ds-num">{pct(r.accuracyTop5)}</td>
      {r.isReference ? <td className="ds-num">{pct(r.agreementTop1)}</td> : <Proportion p={r.agreementTop1} n={n} />}
      <td className="ds-num">{snr(r)}</td>
      <td className="ds-num">
        {ms(r.latencyMs.p50)} <NoiseMark compact cv={coefficientOfVariation(r.latenciesMs)} runs={r.latenciesMs.length} />
      </td>
      <td className="ds-num">{ms(r.latencyMs.p90)}</td>
      <td className="ds-num">{ms(r.latencyMs.p99)}</td>
      {r.isReference ? <td className="ds-num">—</td> : <Delta text={ratioDelta(r.delta.latencyP50Ratio)} tone={ratioTone(r.delta.latencyP50Ratio)} label="latency change" />}
      <td className="ds-num">{r.throughput.toFixed(0)} items/s</td>
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
  const n = result.evaluated;
  const colors = variantColors(result.rows.map(rowColorKey));
  return (
    <div className="ds-compare-table-wrap">
      <HTMLTable compact striped className="ds-compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>variant</th>
            <th title="top-1 accuracy and its 95 % confidence interval (Wilson)">top-1 (n = {n})</th>
            <th>Δ top-1</th>
            <th>top-5</th>
            <th title="top-1 agreement with the reference and its 95 % confidence interval (Wilson)">agreement (n = {n})</th>
            <th>SNR</th>
            <th>p50</th>
            <th>p90</th>
            <th>p99</th>
            <th>Δ p50</th>
            <th>throughput</th>
            <th>size</th>
            <th>Δ size</th>
            <th>peak mem</th>
            <th title="weights and biases; quantization scales and zero points are not counted">params</th>
            <th>MACs</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r, i) => (
            <Row key={`${r.name}-${i}`} r={r} onFront={result.paretoFront.includes(i)} n={n} color={colors[i]} />
          ))}
        </tbody>
      </HTMLTable>
    </div>
  );
}
