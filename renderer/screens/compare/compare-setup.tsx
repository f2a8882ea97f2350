/** The Compare place's left column: which variants, which data, how long to time, and the run button. */
import { Button, Card, Checkbox, FormGroup, H5, HTMLSelect, NumericInput, Tag } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes } from '../../../shared/format/bytes';
import { studioClient } from '../../services';
import { compareSelectors, modelSelectors, useStudio, variantSelectors } from '../../store';
import { FileField } from '../../components/files/file-field';
import { JobProgress } from './job-progress';

/** The target profiles a comparison may use (their session options apply to every variant). */
function useTargets(): Array<{ id: string; name: string }> {
  const [targets, setTargets] = useState<Array<{ id: string; name: string }>>([]);
  useEffect(() => {
    let live = true;
    studioClient()
      .api.listTargets({})
      .then((t) => live && setTargets(t.targets.map((e) => ({ id: e.profile.id, name: e.profile.name }))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return targets;
}

function VariantPicker() {
  const variants = useStudio(useShallow(variantSelectors.variants));
  const picked = useStudio(useShallow(compareSelectors.variantIds));
  const toggle = useStudio((s) => s.toggleCompareVariant);
  return (
    <Card className="ds-compare-card" data-testid="compare-variants">
      <H5>Variants</H5>
      <p className="ds-muted ds-compare-hint">The first picked is the reference for deltas and fidelity.</p>
      {variants.map((v) => (
        <div key={v.id} data-testid="compare-variant" data-variant-kind={v.kind} data-checked={picked.includes(v.id)}>
          <Checkbox checked={picked.includes(v.id)} onChange={() => toggle(v.id)}>
            <span className="ds-compare-variant-name">{v.kind === 'original' ? 'original' : v.name}</span>
            {picked[0] === v.id && (
              <Tag minimal intent="primary" className="ds-compare-ref">
                reference
              </Tag>
            )}
            <span className="ds-muted ds-compare-variant-size">{formatBytes(v.sizeBytes)}</span>
          </Checkbox>
        </div>
      ))}
    </Card>
  );
}

/** What the dataset holds (scanned by the engine, nothing decoded), or why it cannot be read; refreshed as the form changes. */
function useDatasetScan(): { text: string; intent: 'none' | 'warning' | 'danger' } | null {
  const modelId = useStudio(modelSelectors.modelId);
  const data = useStudio(useShallow(compareSelectors.data));
  const [scan, setScan] = useState<{ text: string; intent: 'none' | 'warning' | 'danger' } | null>(null);
  useEffect(() => {
    if (!modelId || !data.path.trim()) {
      setScan(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const req = {
        path: data.path.trim(),
        ...(data.labelsPath.trim() ? { labelsPath: data.labelsPath.trim() } : {}),
        ...(data.preprocessPath.trim() ? { preprocessPath: data.preprocessPath.trim() } : {}),
        ...(data.limit > 0 ? { limit: data.limit, sampling: data.sampling, seed: data.seed } : {}),
      };
      studioClient()
        .api.inspectDataset({ modelId, data: req })
        .then((d) => {
          if (!live) return;
          const classes = d.classNames ? `, ${d.classNames.length} classes (${d.labelsSource})` : d.hasExpectedOutputs ? ', with expected outputs' : ', no labels';
          const skipped = d.skipped.count ? ` · ${d.skipped.count} skipped: ${d.skipped.reasons.map((r) => `${r.count} ${r.reason}`).join(', ')}` : '';
          setScan({ text: `${d.itemCount} of ${d.foundCount} items (${d.kind}${classes})${skipped}`, intent: d.skipped.count ? 'warning' : 'none' });
        })
        .catch((err: unknown) => live && setScan({ text: err instanceof Error ? err.message : String(err), intent: 'danger' }));
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [modelId, data.path, data.labelsPath, data.preprocessPath, data.limit, data.sampling, data.seed]);
  return scan;
}

function DataForm() {
  const data = useStudio(useShallow(compareSelectors.data));
  const note = useStudio(compareSelectors.dataNote);
  const set = useStudio((s) => s.setCompareData);
  const scan = useDatasetScan();
  return (
    <Card className="ds-compare-card" data-testid="compare-data">
      <H5>Data</H5>
      <FileField
        id="compare-data-path"
        label="Dataset"
        value={data.path}
        onChange={(path) => set({ path })}
        extensions={['npy']}
        folder
        placeholder="a folder of class folders, a .npy, test_data_set_*"
        intent={scan?.intent === 'danger' ? 'danger' : scan?.intent === 'warning' ? 'warning' : 'none'}
        helperText={<span data-testid="compare-data-scan">{scan?.text ?? note ?? 'A folder of class folders of images, a .npy file or folder, or test_data_set_* folders.'}</span>}
      />
      <FileField id="compare-labels" label="Labels (optional)" value={data.labelsPath} onChange={(labelsPath) => set({ labelsPath })} extensions={['txt', 'npy', 'json']} placeholder="labels.txt or labels.npy" />
      <FileField id="compare-pre" label="Preprocessing (optional)" value={data.preprocessPath} onChange={(preprocessPath) => set({ preprocessPath })} extensions={['json']} placeholder="preprocess.json (default: the model's)" />
      <div className="ds-compare-row">
        <FormGroup label="Items" labelFor="compare-limit" helperText="0 = all">
          <NumericInput id="compare-limit" min={0} value={data.limit} onValueChange={(limit) => set({ limit: Math.max(0, Math.floor(limit || 0)) })} fill />
        </FormGroup>
        <FormGroup label="Subset" labelFor="compare-sampling">
          <HTMLSelect id="compare-sampling" value={data.sampling} onChange={(e) => set({ sampling: e.target.value as 'first' | 'random' })} disabled={data.limit === 0} options={[{ value: 'first', label: 'first N' }, { value: 'random', label: 'random N' }]} />
        </FormGroup>
        {data.sampling === 'random' && data.limit > 0 && (
          <FormGroup label="Seed" labelFor="compare-seed">
            <NumericInput id="compare-seed" min={0} value={data.seed} onValueChange={(seed) => set({ seed: Math.max(0, Math.floor(seed || 0)) })} fill />
          </FormGroup>
        )}
      </div>
    </Card>
  );
}

/** Renders the setup column. */
export function CompareSetup() {
  const modelId = useStudio(modelSelectors.modelId);
  const suggest = useStudio((s) => s.suggestCompareData);
  const picked = useStudio(useShallow(compareSelectors.variantIds));
  const data = useStudio(useShallow(compareSelectors.data));
  const rounds = useStudio(compareSelectors.rounds);
  const setRounds = useStudio((s) => s.setCompareRounds);
  const targetId = useStudio(compareSelectors.targetId);
  const setTarget = useStudio((s) => s.setCompareTarget);
  const jobId = useStudio(compareSelectors.jobId);
  const searchJobId = useStudio(compareSelectors.searchJobId);
  const busy = jobId !== null || searchJobId !== null;
  const run = useStudio((s) => s.runCompare);
  const targets = useTargets();
  useEffect(() => {
    void suggest();
  }, [modelId, suggest]);
  return (
    <div className="ds-compare-setup">
      <VariantPicker />
      <DataForm />
      <Card className="ds-compare-card">
        <H5>Settings</H5>
        <div className="ds-compare-row">
          <FormGroup label="Latency rounds" labelFor="compare-rounds" helperText="each runs every variant once, alternating">
            <NumericInput id="compare-rounds" min={5} max={10000} value={rounds} onValueChange={(n) => setRounds(Math.max(5, Math.floor(n || 5)))} fill />
          </FormGroup>
          <FormGroup label="Target" labelFor="compare-target">
            <HTMLSelect id="compare-target" value={targetId ?? ''} onChange={(e) => setTarget(e.target.value || null)} options={[{ value: '', label: 'this host (defaults)' }, ...targets.map((t) => ({ value: t.id, label: t.name }))]} />
          </FormGroup>
        </div>
        <Button intent="primary" icon="comparison" fill disabled={!picked.length || !data.path.trim() || busy} loading={jobId !== null} onClick={() => void run()} data-testid="compare-run">
          Compare {picked.length || ''} variant{picked.length === 1 ? '' : 's'}
        </Button>
        <JobProgress jobId={jobId} testId="compare-progress" />
      </Card>
    </div>
  );
}
