/** One model's answer for the demo image: top classes as probability bars, what the model saw, and the latency. */
import { NoiseMark, SessionSettings } from '../../components/figures/session-settings';
import { Callout, Card, H5, Spinner, Tag } from '@blueprintjs/core';
import type { ReactNode } from 'react';
import type { StudioErrorDto } from '../../../shared/api/errors';
import type { ClassifyResultDto, TopClassDto } from '../../../shared/api/runtime-api';

function pct(p: number): string {
  if (p > 0 && p < 0.001) return '< 0.1 %';
  return `${(p * 100).toFixed(p >= 0.995 ? 1 : 2)} %`;
}

/** Probability bars, highest first. */
export function TopClassBars({ top }: { top: readonly TopClassDto[] }) {
  return (
    <div className="ds-top" role="list" aria-label="Top classes">
      {top.map((t, i) => (
        <div className="ds-top-row" role="listitem" key={t.index} data-rank={i + 1} data-testid="demo-class">
          <span className="ds-top-label" title={t.label ?? `class ${t.index}`}>
            {t.label ?? `class ${t.index}`}
          </span>
          <span className="ds-top-track">
            <span className="ds-top-bar" style={{ width: `${Math.max(0, Math.min(100, t.probability * 100))}%`, display: 'block' }} />
          </span>
          <span className="ds-top-pct">{pct(t.probability)}</span>
        </div>
      ))}
    </div>
  );
}

export interface ResultCardProps {
  slot: 'a' | 'b';
  title: string;
  result: ClassifyResultDto | null;
  error: StudioErrorDto | null;
  running: boolean;
  /** shown in the card head (the variant picker of the second card) */
  extra?: ReactNode;
}

/** The card of one model. */
export function ResultCard({ slot, title, result, error, running, extra }: ResultCardProps) {
  return (
    <Card className="ds-demo-card" data-testid={`demo-result-${slot}`} data-state={error ? 'error' : result ? 'ready' : running ? 'running' : 'empty'}>
      <div className="ds-demo-card-head">
        <H5 title={title}>{title}</H5>
        {extra}
        {running && <Spinner size={16} />}
      </div>
      {error && (
        <Callout intent="danger" icon="error" title="Could not classify the image" data-testid={`demo-error-${slot}`}>
          <p>{error.message}</p>
          <p className="ds-muted">Error code: {error.code}</p>
        </Callout>
      )}
      {!error && result && (
        <>
          <div className="ds-demo-card-body">
            <div className="ds-demo-view">
              <img src={result.modelViewDataUrl} alt={`What ${result.fileName} sees`} />
              <span className="ds-muted">model input</span>
            </div>
            <TopClassBars top={result.top} />
          </div>
          <div className="ds-demo-meta">
            <Tag minimal icon="time" data-testid={`demo-latency-${slot}`}>
              {result.latencyMs.toFixed(result.latencyMs < 10 ? 2 : 1)} ms run
            </Tag>
            <NoiseMark cv={0} runs={1} />
            <SessionSettings options={result.sessionOptions} />
            <Tag minimal>{result.preprocessMs.toFixed(1)} ms preprocessing</Tag>
            {result.sessionCreateMs > 0 && <Tag minimal>session created in {result.sessionCreateMs.toFixed(0)} ms</Tag>}
            <Tag minimal title={`preprocessing: ${result.preprocessSource}`}>
              {result.inputName} [{result.inputShape.join(', ')}]
            </Tag>
            {result.softmaxApplied && (
              <Tag minimal title={`${result.outputName} holds logits; the bars show their softmax`}>
                softmax of {result.outputName}
              </Tag>
            )}
          </div>
        </>
      )}
      {!error && !result && !running && <p className="ds-muted">Drop an image or pick a sample to see what this model answers.</p>}
    </Card>
  );
}
