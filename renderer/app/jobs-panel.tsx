/** The jobs panel at the bottom: progress, stage, cancel and log of every long operation; collapsible and clearable. */
import { Button, Collapse, ProgressBar, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JobInfo, JobState } from '../../shared/api/jobs';
import { jobSelectors, useStudio } from '../store';

const INTENT = { running: 'primary', succeeded: 'success', failed: 'danger', cancelled: 'warning', queued: 'none' } as const;
/** What each state reads as: a cancelled job is not a failure. */
export const JOB_STATE_LABEL: Record<JobState, string> = { running: 'Running', succeeded: 'Done', failed: 'Failed', cancelled: 'Cancelled', queued: 'Queued' };
/** Rows shown at once; older ones stay reachable by scrolling inside the panel. */
const MAX_ROWS = 20;

function JobRow({ job }: { job: JobInfo }) {
  const cancel = useStudio((s) => s.cancelJob);
  const [showLog, setShowLog] = useState(false);
  const stage = job.state === 'cancelled' ? 'Cancelled by you' : job.state === 'failed' ? (job.error?.message ?? 'failed') : job.stage;
  return (
    <div className="ds-job" data-job-state={job.state} data-testid="job-row">
      <div className="ds-job-head">
        <Tag minimal intent={INTENT[job.state]} className="ds-job-state">
          {JOB_STATE_LABEL[job.state]}
        </Tag>
        <span className="ds-job-title">{job.title}</span>
        <span className="ds-job-stage" title={stage}>
          {stage}
        </span>
        <div className="ds-job-bar">
          <ProgressBar value={job.progress} intent={INTENT[job.state]} stripes={job.state === 'running'} animate={job.state === 'running'} />
        </div>
        <Button size="small" variant="minimal" icon="console" onClick={() => setShowLog((v) => !v)} aria-label="Show log" />
        {job.state === 'running' && <Button size="small" icon="cross" onClick={() => void cancel(job.id)} text="Cancel" />}
      </div>
      <Collapse isOpen={showLog}>
        <pre className="ds-job-log">{job.log.join('\n') || '(no log lines)'}</pre>
      </Collapse>
    </div>
  );
}

/** Renders the panel; hidden while no job has run. */
export function JobsPanel() {
  const order = useStudio(jobSelectors.jobOrder);
  const jobs = useStudio(useShallow((s) => order.map((id) => s.jobs[id]).filter(Boolean)));
  const collapsed = useStudio(jobSelectors.collapsed);
  const setCollapsed = useStudio((s) => s.setJobsCollapsed);
  const clear = useStudio((s) => s.clearFinishedJobs);
  if (jobs.length === 0) return null;
  const running = jobs.filter((j) => j.state === 'running').length;
  const finished = jobs.length - running;
  return (
    <section className={`ds-jobs ${collapsed ? 'ds-jobs-collapsed' : ''}`} aria-label="Jobs" data-testid="jobs-panel">
      <div className="ds-jobs-bar">
        <Button
          size="small"
          variant="minimal"
          icon={collapsed ? 'chevron-up' : 'chevron-down'}
          onClick={() => setCollapsed(!collapsed)}
          aria-expanded={!collapsed}
          data-testid="jobs-toggle"
          text={`Jobs: ${running} running, ${finished} finished`}
        />
        {collapsed && running > 0 && <span className="ds-muted ds-job-stage">{jobs.find((j) => j.state === 'running')?.title}</span>}
        <span className="ds-jobs-spacer" />
        <Button size="small" variant="minimal" icon="eraser" text="Clear finished" disabled={finished === 0} onClick={clear} data-testid="jobs-clear" />
      </div>
      {!collapsed && (
        <div className="ds-jobs-list">
          {jobs.slice(0, MAX_ROWS).map((j) => (
            <JobRow key={j.id} job={j} />
          ))}
        </div>
      )}
    </section>
  );
}
