/** The Demo place: classify an image with the model (and a variant side by side), or run and benchmark it. */
import { NonIdealState, Tab, Tabs } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { modelSelectors, useStudio } from '../../store';
import { BenchPanel } from './bench-panel';
import { ClassifyPanel } from './classify-panel';
import './demo.css';

/** Renders the screen. */
export function DemoScreen() {
  const summary = useStudio(modelSelectors.summary);
  const modelId = useStudio(modelSelectors.modelId);
  const loadDemo = useStudio((s) => s.loadDemo);
  const refreshVariants = useStudio((s) => s.refreshVariants);
  const [tab, setTab] = useState<'classify' | 'bench'>('classify');
  useEffect(() => {
    if (!modelId) return;
    void loadDemo(modelId);
    void refreshVariants();
  }, [modelId, loadDemo, refreshVariants]);
  if (!summary) {
    return <NonIdealState icon="media" title="No model open" description="Open a model in the Model place (or the bundled sample), then try it on images here." />;
  }
  return (
    <div className="ds-screen" data-screen="demo">
      <header className="ds-screen-header">
        <div className="ds-screen-title">
          <h1>Demo</h1>
          <div className="ds-screen-sub ds-muted">
            Try {summary.fileName} on an image: it is preprocessed as the model expects, run, and the top classes show with their probabilities.
          </div>
        </div>
      </header>
      <div className="ds-demo-tabs">
        <Tabs id="demo-tabs" selectedTabId={tab} onChange={(t) => setTab(t as 'classify' | 'bench')}>
          <Tab id="classify" title="Classify an image" data-testid="demo-tab-classify" />
          <Tab id="bench" title="Run & benchmark" data-testid="demo-tab-bench" />
        </Tabs>
      </div>
      {tab === 'classify' ? <ClassifyPanel /> : <BenchPanel />}
    </div>
  );
}
