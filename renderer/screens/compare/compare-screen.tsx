/** The Compare place: pick variants and data, compare them with alternated runs, search recipes, export reports. */
import { NonIdealState, Tab, Tabs } from '@blueprintjs/core';
import { useState } from 'react';
import { modelSelectors, useStudio } from '../../store';
import { CompareResults } from './compare-results';
import { CompareSetup } from './compare-setup';
import { SearchPanel } from './search-panel';
import './compare.css';

/** Renders the screen. */
export function CompareScreen() {
  const summary = useStudio(modelSelectors.summary);
  const [tab, setTab] = useState<'compare' | 'search'>('compare');
  if (!summary) {
    return <NonIdealState icon="comparison" title="No model open" description="Open a model in the Model place; make variants in Optimize, then compare them here." />;
  }
  return (
    <div className="ds-screen" data-screen="compare">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1>Compare</h1>
          <div className="ds-screen-sub ds-muted">
            Accuracy and latency of the variants of {summary.fileName}, on the same data and settings, run alternately so machine noise hits all alike.
          </div>
        </div>
      </header>
      <div className="ds-compare">
        <CompareSetup />
        <div className="ds-compare-main">
          <Tabs id="compare-tabs" selectedTabId={tab} onChange={(t) => setTab(t as 'compare' | 'search')} large>
            <Tab id="compare" title="Comparison" panel={<CompareResults />} data-testid="compare-tab" />
            <Tab id="search" title="Recipe search" panel={<SearchPanel />} data-testid="search-tab" />
          </Tabs>
        </div>
      </div>
    </div>
  );
}
