/** The Optimize place: the variant list beside the pass panels (quantize, prune, graph optimization …). */
import { Callout, NonIdealState, Tab, Tabs } from '@blueprintjs/core';
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
            Working on <strong>{selected ? selected.name : 'original'}</strong> of {summary.fileName}. Each run makes a new variant.
          </div>
        </div>
      </header>
      <div className="ds-optimize">
        <VariantList />
        <div className="ds-optimize-main">
          {error && (
            <Callout intent="danger" icon="error" title="The optimization failed" data-testid="optimize-error">
              {error.message}
            </Callout>
          )}
          <Tabs id="optimize-tabs" selectedTabId={tab} onChange={(t) => setTab(String(t))} large>
            {OPTIMIZE_PANELS.map((p) => (
              <Tab key={p.id} id={p.id} title={p.title} panel={<p.Panel />} />
            ))}
          </Tabs>
          {selected && selected.kind !== 'original' && <VariantReport variant={selected} />}
        </div>
      </div>
    </div>
  );
}
