/** The Target place: pick where the model will run, see what stops it there, and its estimated vs measured cost. */
import { Button, ButtonGroup, Callout, Card, H5, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { modelSelectors, targetSelectors, useStudio, variantSelectors } from '../../store';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount, formatOps } from '../../../shared/format/count';
import { FindingsView, PlacementView } from './check-view';
import { EstimateView } from './estimate-view';
import { ProfileEditor, type EditorState } from './profile-editor';
import { TargetPicker } from './target-picker';
import './target.css';

function HostCard() {
  const host = useStudio(targetSelectors.hostInfo);
  const loading = useStudio((s) => s.hostLoading);
  const load = useStudio((s) => s.loadHostInfo);
  if (!host) {
    return (
      <Card className="ds-card" data-testid="host-info">
        <H5>This host</H5>
        <Button icon="search" loading={loading} onClick={() => void load(false)} data-testid="detect-host">
          Detect execution providers
        </Button>
        <p className="ds-muted">Tries each onnxruntime provider with a tiny session and records why one does not load.</p>
      </Card>
    );
  }
  return (
    <Card className="ds-card" data-testid="host-info">
      <div className="ds-card-head">
        <H5>This host</H5>
        <Button size="small" icon="refresh" loading={loading} onClick={() => void load(true)} title="Detect and measure again">
          Detect again
        </Button>
      </div>
      <p>
        {host.cpuModel} · {host.cores} cores ({host.logicalCores} logical) · {formatBytes(host.ramBytes)} RAM · {host.platform}/{host.arch} · onnxruntime {host.onnxruntimeVersion}
      </p>
      <p className="ds-muted">
        {host.simd.join(' ')} · fp32 {formatOps(host.peakGops.fp32, 'FLOPS')} · {host.memoryBandwidthGBs} GB/s
      </p>
      <ul className="ds-target-list" data-testid="host-eps">
        {host.executionProviders.map((e) => (
          <li key={e.name}>
            <Tag minimal intent={e.loadable ? 'success' : 'none'}>{e.name}</Tag> {e.loadable ? 'loads' : <span className="ds-muted">{e.reason}</span>}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** Renders the screen. */
export function TargetScreen() {
  const summary = useStudio(modelSelectors.summary);
  const modelId = useStudio(targetSelectors.checkedModelId);
  const variant = useStudio(variantSelectors.selected);
  const targetId = useStudio(targetSelectors.selectedTargetId);
  const entry = useStudio(targetSelectors.selectedTarget);
  const check = useStudio(targetSelectors.check);
  const checking = useStudio(targetSelectors.checking);
  const checkError = useStudio(targetSelectors.checkError);
  const targetsError = useStudio((s) => s.targetsError);
  const loadTargets = useStudio((s) => s.loadTargets);
  const runCheck = useStudio((s) => s.runCheck);
  const deleteProfile = useStudio((s) => s.deleteProfile);
  const [editor, setEditor] = useState<EditorState | null>(null);
  useEffect(() => {
    void loadTargets();
  }, [loadTargets]);
  useEffect(() => {
    void runCheck();
  }, [modelId, targetId, runCheck]);
  const stale = check && (check.modelId !== modelId || check.target.id !== targetId);
  return (
    <div className="ds-screen" data-screen="target">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1>Target</h1>
          <div className="ds-screen-sub ds-muted">
            {entry ? <strong data-testid="target-name">{entry.profile.name}</strong> : 'Loading profiles…'}
            {summary && (
              <span>
                {' '}
                · checking {variant && variant.kind !== 'original' ? `variant “${variant.name}” of ` : ''}
                {summary.fileName}
                {check ? ` · ${formatCount(check.analysis.macs, 'MACs')}` : ''}
              </span>
            )}
          </div>
        </div>
        <div className="ds-screen-actions">
          {checking && <Spinner size={16} />}
          <ButtonGroup>
            {entry && (
              <Button icon="duplicate" onClick={() => setEditor({ base: entry.profile, existing: false })} data-testid="new-profile">
                New profile from this
              </Button>
            )}
            {entry && !entry.builtIn && (
              <>
                <Button icon="edit" onClick={() => setEditor({ base: entry.profile, existing: true })} data-testid="edit-profile">
                  Edit
                </Button>
                <Button icon="trash" intent="danger" variant="minimal" onClick={() => void deleteProfile(entry.profile.id)} title={`Delete ${entry.path}`}>
                  Delete
                </Button>
              </>
            )}
          </ButtonGroup>
        </div>
      </header>
      {targetsError && (
        <Callout intent="danger" icon="error" className="ds-error">
          {targetsError.message}
        </Callout>
      )}
      <div className="ds-target">
        <TargetPicker />
        <div className="ds-target-main" data-testid="target-main">
          {!summary ? (
            <NonIdealState
              icon="cube"
              title="No model open"
              description="Open a model in the Model place to check it against this target."
              action={<Button onClick={() => void useStudio.getState().openSample()}>Open the sample</Button>}
            />
          ) : checkError ? (
            <Callout intent="danger" icon="error" title="The check failed" data-testid="check-error">
              {checkError.message}
            </Callout>
          ) : !check || stale ? (
            <NonIdealState icon={<Spinner />} title="Checking the model…" />
          ) : (
            <div className="ds-target-grid" data-testid="check-result">
              <FindingsView check={check} />
              <EstimateView check={check} />
              <PlacementView check={check} />
              <HostCard />
              {entry && (
                <Card className="ds-card ds-card-wide ds-target-about">
                  <H5>About {entry.profile.name}</H5>
                  <p className="ds-wrap">{entry.profile.description}</p>
                  {check.latency && (
                    <ul className="ds-target-list ds-muted">
                      {check.latency.assumptions.map((a) => (
                        <li key={a}>{a}</li>
                      ))}
                    </ul>
                  )}
                </Card>
              )}
            </div>
          )}
        </div>
      </div>
      {editor && <ProfileEditor state={editor} onClose={() => setEditor(null)} />}
    </div>
  );
}
