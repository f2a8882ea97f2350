/** The Run/Benchmark tab: model, inputs, symbolic dimensions, threads and runs; live progress; results on the right. */
import { Button, Card, Checkbox, FormGroup, H5, HTMLSelect, NumericInput, ProgressBar, Tag } from '@blueprintjs/core';
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { InputSpecEntry } from '../../../shared/api/runtime-api';
import { benchSelectors, modelSelectors, targetSelectors, useStudio, variantSelectors } from '../../store';
import type { PanelInput } from '../../store/bench-slice';
import { BenchResults } from './bench-results';

const shape = (s: ReadonlyArray<number | string | null>) => `[${s.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

function InputRow({ input }: { input: InputSpecEntry }) {
  const source: PanelInput = useStudio((s) => s.bench.settings.inputs[input.name]) ?? { kind: 'random' };
  const setInput = useStudio((s) => s.setBenchInput);
  const chooseFile = useStudio((s) => s.chooseBenchInputFile);
  const file = useRef<HTMLInputElement>(null);
  return (
    <div className="ds-bench-input" data-testid="bench-input" data-input={input.name}>
      <div className="ds-bench-input-head">
        <strong className="ds-mono">{input.name}</strong>
        <Tag minimal>{input.dtype}</Tag>
        <span className="ds-mono ds-muted">{shape(input.shape)}</span>
      </div>
      <div className="ds-bench-input-controls">
        <HTMLSelect
          aria-label={`Data for ${input.name}`}
          value={source.kind}
          onChange={(e) => {
            const kind = e.target.value as PanelInput['kind'];
            if (kind === 'file') file.current?.click();
            else setInput(input.name, kind === 'zeros' ? { kind } : { kind: 'random' });
          }}
          options={[
            { value: 'random', label: 'Random (seeded)' },
            { value: 'zeros', label: 'Zeros' },
            { value: 'file', label: input.acceptsImages ? 'File or image…' : 'File…' },
          ]}
        />
        {source.kind === 'file' && (
          <span className="ds-bench-file" title={source.fileName ?? source.path}>
            {source.fileName ?? source.path}
          </span>
        )}
        <input
          ref={file}
          type="file"
          hidden
          data-testid={`bench-file-${input.name}`}
          accept=".npy,.npz,.pb,.json,image/*"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void chooseFile(input.name, f);
          }}
        />
      </div>
    </div>
  );
}

function Settings() {
  const spec = useStudio(benchSelectors.spec);
  const settings = useStudio(useShallow(benchSelectors.settings));
  const set = useStudio((s) => s.setBenchSettings);
  const targetName = useStudio(targetSelectors.selectedTargetName);
  const int = (v: number, min: number) => Math.max(min, Math.floor(Number.isFinite(v) ? v : min));
  return (
    <>
      {spec && spec.dims.length > 0 && (
        <FormGroup label="Symbolic dimensions" helperText="Left empty: the default shown.">
          <div className="ds-bench-row">
            {spec.dims.map((d) => (
              <FormGroup key={d.name} label={d.name} labelFor={`dim-${d.name}`} inline={false}>
                <NumericInput
                  id={`dim-${d.name}`}
                  min={1}
                  placeholder={String(d.default)}
                  value={settings.dims[d.name] ?? ''}
                  onValueChange={(v) => {
                    const dims = { ...settings.dims };
                    if (Number.isFinite(v) && v >= 1) dims[d.name] = Math.floor(v);
                    else delete dims[d.name];
                    set({ dims });
                  }}
                  fill
                />
              </FormGroup>
            ))}
          </div>
        </FormGroup>
      )}
      <div className="ds-bench-row">
        <FormGroup label="Threads" labelFor="bench-threads" helperText="0 = auto">
          <NumericInput id="bench-threads" min={0} max={256} value={settings.threads} onValueChange={(v) => set({ threads: int(v, 0) })} fill />
        </FormGroup>
        <FormGroup label="Runs" labelFor="bench-runs">
          <NumericInput id="bench-runs" min={1} max={100000} value={settings.runs} onValueChange={(v) => set({ runs: int(v, 1) })} fill data-testid="bench-runs" />
        </FormGroup>
        <FormGroup label="Warm-up" labelFor="bench-warmup">
          <NumericInput id="bench-warmup" min={0} max={10000} value={settings.warmup} onValueChange={(v) => set({ warmup: int(v, 0) })} fill />
        </FormGroup>
      </div>
      <Checkbox checked={settings.profile} onChange={(e) => set({ profile: e.currentTarget.checked })} label="Profile with onnxruntime (time per node)" />
      <Checkbox
        checked={settings.useTarget}
        onChange={(e) => set({ useTarget: e.currentTarget.checked })}
        label={`Use the session settings of target “${targetName ?? 'this host'}”`}
        data-testid="bench-use-target"
      />
    </>
  );
}

function Progress() {
  const job = useStudio(benchSelectors.job);
  const jobId = useStudio(benchSelectors.jobId);
  const cancel = useStudio((s) => s.cancelJob);
  if (!jobId) return null;
  return (
    <div className="ds-bench-progress" data-testid="bench-progress">
      <ProgressBar value={job?.progress ?? 0} intent="primary" />
      <div className="ds-bench-input-controls">
        <span className="ds-muted" style={{ flex: 1 }}>
          {job?.stage ?? 'starting'}
        </span>
        <Button size="small" icon="cross" onClick={() => void cancel(jobId)} data-testid="bench-cancel">
          Cancel
        </Button>
      </div>
    </div>
  );
}

/** Renders the tab. */
export function BenchPanel() {
  const modelId = useStudio(modelSelectors.modelId);
  const variants = useStudio(useShallow(variantSelectors.variants));
  const benchModel = useStudio((s) => s.bench.modelId);
  const spec = useStudio(benchSelectors.spec);
  const mode = useStudio(benchSelectors.mode);
  const load = useStudio((s) => s.loadBench);
  const runOnce = useStudio((s) => s.runOnce);
  const runBench = useStudio((s) => s.runBenchmark);
  useEffect(() => {
    if (modelId && (!benchModel || !variants.some((v) => v.modelId === benchModel))) void load(modelId);
  }, [modelId, benchModel, variants, load]);
  const choices = variants.length ? variants.map((v) => ({ value: v.modelId, label: v.kind === 'original' ? `${v.name} (original)` : v.name })) : modelId ? [{ value: modelId, label: spec?.fileName ?? 'model' }] : [];
  return (
    <div className="ds-bench" data-testid="bench-panel">
      <div className="ds-bench-side">
        <Card className="ds-bench-card">
          <H5>Model</H5>
          <HTMLSelect fill aria-label="Model to run" value={benchModel ?? ''} onChange={(e) => void load(e.target.value)} options={choices} disabled={mode !== null} />
        </Card>
        <Card className="ds-bench-card">
          <H5>Inputs</H5>
          {spec?.inputs.map((i) => <InputRow key={i.name} input={i} />)}
        </Card>
        <Card className="ds-bench-card">
          <H5>Settings</H5>
          <Settings />
          <div className="ds-bench-actions">
            <Button icon="play" onClick={() => void runOnce()} disabled={!spec || mode !== null} loading={mode === 'run'} data-testid="run-once">
              Run once
            </Button>
            <Button intent="primary" icon="dashboard" onClick={() => void runBench()} disabled={!spec || mode !== null} loading={mode === 'bench'} data-testid="run-bench">
              Benchmark
            </Button>
          </div>
          <Progress />
        </Card>
      </div>
      <BenchResults />
    </div>
  );
}
