/** A running job's progress bar, stage text and cancel button (the jobs panel shows the same job). */
import { Button, ProgressBar } from '@blueprintjs/core';
import { jobSelectors, useStudio } from '../../store';

/** Renders the job's progress; nothing when no job id is given. */
export function JobProgress({ jobId, testId }: { jobId: string | null; testId: string }) {
  const job = useStudio(jobSelectors.job(jobId ?? ''));
  const cancel = useStudio((s) => s.cancelJob);
  if (!jobId) return null;
  return (
    <div className="ds-compare-progress" data-testid={testId}>
      <ProgressBar value={job ? Math.max(0.02, job.progress) : undefined} intent="primary" stripes={!job} />
      <div className="ds-compare-progress-row">
        <span className="ds-muted">{job?.stage ?? 'starting'}</span>
        <Button size="small" icon="stop" onClick={() => void cancel(jobId)} data-testid={`${testId}-cancel`}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
