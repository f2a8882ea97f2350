/** The jobs panel at the bottom: progress, stage, cancel and log of every long operation. */
import { Button, Collapse, ProgressBar, Tag } from '@blueprintjs/core';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JobInfo } from '../../shared/api/jobs';
import { jobSelectors, useStudio } from '../store';

const INTENT = { running: 'primary', succeeded: 'success', failed: 'danger', cancelled: 'warning', queued: 'none' } as const;

function JobRow({ job }: { job: JobInfo }) {
  const cancel = useStudio((s) => s.cancelJob);
  const [showLog, setShowLog] = useState(false);
  return (
    <div className="ds-job" data-job-state={job.state}>
      <div className="ds-job-head">
        <Tag minimal intent={INTENT[job.state]}>{job.state}</Tag>
        <span className="ds-job-title">{job.title}</span>
        <span className="ds-job-stage">{job.error ? job.error.message : job.stage}</span>
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
  if (jobs.length === 0) return null;
  return (
    <section className="ds-jobs" aria-label="Jobs">
      {jobs.slice(0, 6).map((j) => (
        <JobRow key={j.id} job={j} />
      ))}
    </section>
  );
}
