/** The Prune tab of the Optimize place: options, a dry-run preview per layer, then a pruned variant (with progress). */
import { Button, Callout, ProgressBar } from '@blueprintjs/core';
import { useEffect, useMemo } from 'react';
import type { ChannelPruneReport, MagnitudePruneReport } from '../../../shared/prune/prune-report';
import { jobSelectors, pruneSelectors, useStudio, variantSelectors } from '../../store';
import { pruneStep } from '../../store/prune-slice';
import { PruneOptionsForm } from './prune-options-form';
import { PrunePreview } from './prune-preview';
import { PruneReportView } from './prune-report-view';
import './prune.css';

/** How long the options must stay still before the preview runs again. */
const PREVIEW_DELAY_MS = 400;

function JobProgress({ jobId, label }: { jobId: string; label: string }) {
  const job = useStudio(jobSelectors.job(jobId));
  const cancel = useStudio((s) => s.cancelJob);
  return (
    <div className="ds-prune-progress" data-testid="prune-progress">
      <span className="ds-muted">
        {label}: {job?.stage ?? 'starting'}
      </span>
      <ProgressBar value={job?.progress ?? 0} intent="primary" />
      <Button size="small" icon="cross" text="Cancel" onClick={() => void cancel(jobId)} />
    </div>
  );
}

/** The pruning report of the variant just made (else the selected one), when a prune pass made it. */
function SelectedReport() {
  const selected = useStudio(variantSelectors.shown);
  const entry = useMemo(() => Object.entries(selected?.reports ?? {}).filter(([k]) => /prune-(channels|magnitude)$/.test(k)).pop(), [selected]);
  if (!selected || !entry) return null;
  return <PruneReportView name={selected.name} report={entry[1] as ChannelPruneReport | MagnitudePruneReport} />;
}

/** Renders the panel. */
export function PrunePanel() {
  const form = useStudio(pruneSelectors.form);
  const preview = useStudio(pruneSelectors.preview);
  const stale = useStudio(pruneSelectors.previewStale);
  const previewJob = useStudio(pruneSelectors.previewJobId);
  const error = useStudio(pruneSelectors.error);
  const runJob = useStudio(variantSelectors.optimizeJobId);
  const selectedId = useStudio(variantSelectors.selectedId);
  const runPreview = useStudio((s) => s.previewPruning);
  const runPruning = useStudio((s) => s.runPruning);
  const refusal = useStudio(pruneSelectors.refusal);
  const step = useMemo(() => JSON.stringify(pruneStep(form)), [form]);
  const asked = form.method === 'channel' && !form.channel.global ? (form.channel.sparsity ?? 0.3) : null;
  useEffect(() => {
    const t = setTimeout(() => void runPreview(), PREVIEW_DELAY_MS);
    return () => clearTimeout(t);
  }, [step, selectedId, runPreview]);
  return (
    <div className="ds-prune" data-testid="prune-panel">
      <div className="ds-prune-left">
        <p className="ds-muted">
          Channel pruning removes whole channels and every weight coupled to them (residual branches, depthwise layers, concatenations),
          so the model really does less work. Magnitude pruning zeros small weights. Each run makes a new variant; your model file is never
          changed.
        </p>
        <div className="ds-prune-actions">
          <Button intent="primary" icon="cut" loading={runJob !== null} disabled={runJob !== null || refusal !== null} onClick={() => void runPruning()} data-testid="run-prune">
            Make pruned variant
          </Button>
          <Button icon="refresh" text="Preview" loading={previewJob !== null} disabled={refusal !== null} onClick={() => void runPreview()} data-testid="preview-prune" />
        </div>
        {refusal && (
          <Callout intent="warning" icon="disable" title="Cannot prune this" data-testid="prune-refusal">
            {refusal}
          </Callout>
        )}
        {runJob && <JobProgress jobId={runJob} label="Pruning" />}
        <PruneOptionsForm />
      </div>
      <div className="ds-prune-right">
        {error && (
          <Callout intent="danger" icon="error" title="The preview failed" data-testid="prune-error-callout">
            {error.message}
          </Callout>
        )}
        {!refusal && previewJob && !preview && <JobProgress jobId={previewJob} label="Planning" />}
        {!refusal && preview && <PrunePreview preview={preview} stale={stale || previewJob !== null} asked={asked} />}
        <SelectedReport />
      </div>
    </div>
  );
}
