/** The Demo place: try the model as its task (and a variant side by side), or run and benchmark it. */
import { NonIdealState, Tab, Tabs } from '@blueprintjs/core';
import { useEffect, useState } from 'react';
import { TASK_TITLES } from '../../../shared/tasks/task-types';
import { demoSelectors, modelSelectors, useStudio } from '../../store';
import { BenchPanel } from './bench-panel';
import { ClassifyPanel } from './classify-panel';
import { TaskBar } from './task-bar';
import { TaskPanel } from './task-panel';
import './demo.css';

/** Renders the screen. */
export function DemoScreen() {
  const summary = useStudio(modelSelectors.summary);
  const modelId = useStudio(modelSelectors.modelId);
  const loadDemo = useStudio((s) => s.loadDemo);
  const refreshVariants = useStudio((s) => s.refreshVariants);
  const taskKind = useStudio(demoSelectors.taskKind);
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
            Try {summary.fileName} as {taskKind ? TASK_TITLES[taskKind].toLowerCase() : 'its task'}: give it an input (a file, a sample, the microphone or the camera) and see its answer drawn, beside a variant if you like.
          </div>
        </div>
      </header>
      <div className="ds-demo-tabs">
        <Tabs id="demo-tabs" selectedTabId={tab} onChange={(t) => setTab(t as 'classify' | 'bench')}>
          <Tab id="classify" title={taskKind && taskKind !== 'classify' ? `Try it: ${TASK_TITLES[taskKind]}` : 'Classify an image'} data-testid="demo-tab-classify" />
          <Tab id="bench" title="Run & benchmark" data-testid="demo-tab-bench" />
        </Tabs>
      </div>
      {tab === 'classify' && <TaskBar />}
      {tab === 'classify' ? taskKind === 'classify' || taskKind === null ? <ClassifyPanel /> : <TaskPanel /> : <BenchPanel />}
    </div>
  );
}
