/** The Optimize place: the variant list beside the pass panels (quantize, prune, graph optimization …). */
import { Button, Callout, NonIdealState, Tab, Tabs } from '@blueprintjs/core';
import { useState } from 'react';
import { modelSelectors, useStudio, variantSelectors } from '../../store';
import { VariantList } from '../../components/variants/variant-list';
import { OPTIMIZE_PANELS } from './optimize-panels';
import { VariantReport } from './variant-report';
import './optimize.css';

/** Renders the screen. */
export function OptimizeScreen() {
  const summary = useStudio(modelSelectors.summary);
  const selected = useStudio(variantSelectors.selected);
  const error = useStudio(variantSelectors.error);
  const created = useStudio(variantSelectors.lastCreated);
  const shown = useStudio(variantSelectors.shown);
  const select = useStudio((s) => s.selectVariant);
  const dismiss = useStudio((s) => s.dismissCreated);
  const [tab, setTab] = useState(OPTIMIZE_PANELS[0].id);
  if (!summary) {
    return <NonIdealState icon="clean" title="No model open" description="Open a model in the Model place, then make optimized variants of it here." />;
  }
  return (
    <div className="ds-screen" data-screen="optimize">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1>Optimize</h1>
          <div className="ds-screen-sub ds-muted">
            Working on <strong data-testid="working-on">{selected ? selected.name : 'original'}</strong> of {summary.fileName}. Each run makes a new variant
            from it; pick a variant in the list to work on it.
          </div>
        </div>
      </header>
      <div className="ds-optimize">
        <VariantList />
        <div className="ds-optimize-main">
          {error &&
            (error.code === 'JOB_CANCELLED' ? (
              <Callout intent="warning" icon="disable" title="Cancelled" data-testid="optimize-cancelled">
                The run was cancelled; no variant was made.
              </Callout>
            ) : (
              <Callout intent="danger" icon="error" title="The optimization failed" data-testid="optimize-error">
                {error.message}
              </Callout>
            ))}
          {created && (
            <Callout intent="success" icon="tick-circle" title={`Made ${created.name}`} data-testid="created-offer">
              <span>
                You are still working on <strong>{selected ? selected.name : 'original'}</strong>; the new variant's report is shown here.
              </span>{' '}
              <Button size="small" intent="primary" icon="swap-horizontal" text="Switch to the new variant" onClick={() => select(created.id)} data-testid="switch-to-created" />{' '}
              <Button size="small" variant="minimal" text="Dismiss" onClick={dismiss} />
            </Callout>
          )}
          <Tabs id="optimize-tabs" selectedTabId={tab} onChange={(t) => setTab(String(t))} large>
            {OPTIMIZE_PANELS.map((p) => (
              <Tab key={p.id} id={p.id} title={p.title} panel={<p.Panel />} />
            ))}
          </Tabs>
          {shown && shown.kind !== 'original' && <VariantReport variant={shown} />}
        </div>
      </div>
    </div>
  );
}
