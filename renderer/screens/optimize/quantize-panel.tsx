/** The Quantize tab of the Optimize place: mode, data and options (target defaults), a quantized variant, its error table. */
import { Button, Callout, ProgressBar } from '@blueprintjs/core';
import { useEffect, useMemo } from 'react';
import { jobSelectors, modelSelectors, quantizeSelectors, targetSelectors, useStudio, variantSelectors } from '../../store';
import { effectiveMode, quantizeReportOf } from '../../store/quantize-slice';
import { QuantizeOptionsForm } from './quantize-options-form';
import { QuantizeReportView } from './quantize-report-view';
import './quantize.css';

function RunProgress({ jobId }: { jobId: string }) {
  const job = useStudio(jobSelectors.job(jobId));
  const cancel = useStudio((s) => s.cancelJob);
  return (
    <div className="ds-quant-progress" data-testid="quantize-progress">
      <span className="ds-muted">{job?.stage ?? 'starting'}</span>
      <ProgressBar value={job?.progress ?? 0} intent="primary" />
      <Button size="small" icon="cross" text="Cancel" onClick={() => void cancel(jobId)} data-testid="quantize-cancel" />
    </div>
  );
}

/** The report of the variant just made (else the selected one), when a quantize pass made it. */
function SelectedReport() {
  const selected = useStudio(variantSelectors.shown);
  const report = useMemo(() => quantizeReportOf(selected?.reports), [selected]);
  if (!selected || !report) return null;
  return <QuantizeReportView name={selected.name} report={report} />;
}

/** Renders the panel. */
export function QuantizePanel() {
  const modelId = useStudio(modelSelectors.modelId);
  const targetId = useStudio(targetSelectors.selectedTargetId);
  const targetName = useStudio(targetSelectors.selectedTargetName);
  const form = useStudio(quantizeSelectors.form);
  const defaults = useStudio(quantizeSelectors.defaults);
  const error = useStudio(quantizeSelectors.error);
  const runJob = useStudio(variantSelectors.optimizeJobId);
  const load = useStudio((s) => s.loadQuantizeDefaults);
  const run = useStudio((s) => s.runQuantization);
  useEffect(() => {
    void load();
  }, [modelId, targetId, load]);
  const mode = effectiveMode(form, defaults);
  return (
    <div className="ds-quant" data-testid="quantize-panel">
      <div className="ds-quant-left">
        <p className="ds-muted">
          Static int8 calibrates activation ranges on your data and writes QuantizeLinear/DequantizeLinear pairs that onnxruntime fuses into int8
          kernels; dynamic int8 quantizes MatMul/Gemm weights and measures activations at run time; float16 halves the weights. Defaults follow the
          target ({targetName}). Each run makes a new variant; your model file is never changed.
        </p>
        <div className="ds-quant-actions">
          <Button intent="primary" icon="layers" loading={runJob !== null} disabled={runJob !== null} onClick={() => void run()} data-testid="run-quantize">
            {mode === 'fp16' ? 'Make float16 variant' : 'Make quantized variant'}
          </Button>
        </div>
        {runJob && <RunProgress jobId={runJob} />}
        {error && (
          <Callout intent="danger" icon="error" compact>
            {error.message}
          </Callout>
        )}
        <QuantizeOptionsForm />
      </div>
      <div className="ds-quant-right">
        <SelectedReport />
      </div>
    </div>
  );
}
