/** The Run/Benchmark panel's results: latency figures, histogram and profile of a benchmark; outputs of a run. */
import { NoiseMark, SessionSettings } from '../../components/figures/session-settings';
import { Callout, Card, H5, HTMLTable, NonIdealState, Tag } from '@blueprintjs/core';
import type { BenchResultDto, RunResultDto } from '../../../shared/api/runtime-api';
import { formatBytes } from '../../../shared/format/bytes';
import { benchSelectors, useStudio } from '../../store';
import { LatencyHistogram } from './latency-histogram';
import { ProfileTable } from './profile-table';
import { TopClassBars } from './top-classes';

const ms = (v: number) => `${v.toFixed(v < 1 ? 3 : v < 100 ? 2 : 1)} ms`;

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <div className="ds-bench-stat-value">{value}</div>
      <div className="ds-bench-stat-label">{label}</div>
    </div>
  );
}

function BenchCard({ r }: { r: BenchResultDto }) {
  const o = r.sessionOptions;
  return (
    <Card className="ds-bench-card" data-testid="bench-result">
      <div className="ds-bench-head">
        <H5>
          Benchmark of {r.fileName}: {r.runs} runs at batch {r.batch}
        </H5>
        <div>
          <SessionSettings options={{ ...o, targetId: r.targetId }} /> <NoiseMark cv={r.coefficientOfVariation} runs={r.runs} />
        </div>
      </div>
      <div className="ds-bench-stats">
        <Stat label="p50" value={ms(r.latencyMs.p50)} testId="bench-p50" />
        <Stat label="p90" value={ms(r.latencyMs.p90)} />
        <Stat label="p99" value={ms(r.latencyMs.p99)} />
        <Stat label="mean ± std" value={`${num(r.latencyMs.mean)} ± ${num(r.latencyMs.std)} ms`} />
        <Stat label="min / max" value={`${num(r.latencyMs.min)} / ${num(r.latencyMs.max)} ms`} />
        <Stat label="CV" value={`${(r.coefficientOfVariation * 100).toFixed(1)} %`} />
        <Stat label="throughput" value={`${num(r.throughput)} inferences/s`} />
        <Stat label="session creation" value={ms(r.sessionCreateMs)} testId="bench-session" />
        <Stat label="first run" value={ms(r.firstRunMs)} />
        <Stat label="peak RSS" value={formatBytes(r.peakRssBytes)} />
      </div>
      {r.coefficientOfVariation > 0.25 && (
        <p className="ds-muted">Runs varied a lot (CV above 25 %): other programs may be using the CPU. The p50 is the steadiest figure.</p>
      )}
      <LatencyHistogram result={r} />
      <p className="ds-muted">
        Inputs: {r.inputs.map((i) => `${i.name} ${i.dtype} [${i.shape.join(', ')}] (${i.source})`).join('; ')}
      </p>
    </Card>
  );
}

function RunCard({ r }: { r: RunResultDto }) {
  return (
    <Card className="ds-bench-card" data-testid="run-result">
      <div className="ds-bench-head">
        <H5>
          Run of {r.fileName}: {ms(r.latencyMs)}
        </H5>
        <Tag minimal>{r.sessionCached ? 'cached session' : `session created in ${ms(r.sessionCreateMs)}`}</Tag>
      </div>
      <HTMLTable compact striped className="ds-bench-table">
        <thead>
          <tr>
            <th>Output</th>
            <th>dtype</th>
            <th>shape</th>
            <th className="ds-num">min</th>
            <th className="ds-num">max</th>
            <th className="ds-num">mean</th>
            <th className="ds-num">std</th>
          </tr>
        </thead>
        <tbody>
          {r.outputs.map((o) => (
            <tr key={o.name}>
              <td className="ds-mono">{o.name}</td>
              <td>{o.dtype}</td>
              <td className="ds-mono">[{o.shape.join(', ')}]</td>
              <td className="ds-num">{o.stats ? num(o.stats.min) : '—'}</td>
              <td className="ds-num">{o.stats ? num(o.stats.max) : '—'}</td>
              <td className="ds-num">{o.stats ? num(o.stats.mean) : '—'}</td>
              <td className="ds-num">{o.stats ? num(o.stats.std) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </HTMLTable>
      {r.outputs
        .filter((o) => o.top)
        .map((o) => (
          <div key={o.name} style={{ marginTop: 10 }}>
            <div className="ds-muted">
              Top classes of {o.name}
              {o.softmaxApplied ? ' (softmax of the scores)' : ''}
            </div>
            <TopClassBars top={o.top ?? []} />
          </div>
        ))}
    </Card>
  );
}

/** Renders the results column. */
export function BenchResults() {
  const bench = useStudio(benchSelectors.benchResult);
  const run = useStudio(benchSelectors.runResult);
  const error = useStudio(benchSelectors.error);
  return (
    <div className="ds-bench-main">
      {error && (
        <Callout intent="danger" icon="error" title="The run did not complete" className="ds-pre-line" data-testid="bench-error">
          <p>{error.message}</p>
          <p className="ds-muted">Error code: {error.code}</p>
        </Callout>
      )}
      {run && <RunCard r={run} />}
      {bench && <BenchCard r={bench} />}
      {bench?.profile && <ProfileTable profile={bench.profile} fileName={bench.fileName} />}
      {!bench && !run && !error && (
        <NonIdealState icon="dashboard" title="Run or benchmark the model" description="Choose inputs and settings on the left, then run it once or benchmark it. Benchmarks run in a separate process; cancel any time." />
      )}
    </div>
  );
}
