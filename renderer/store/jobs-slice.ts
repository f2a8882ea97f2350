/** Jobs slice: every job the engine reports, fed by its events. */
import type { StateCreator } from 'zustand';
import type { JobEvent, JobInfo } from '../../shared/api/jobs';
import { studioClient } from '../services';
import type { StudioState } from './index';

export interface JobsSlice {
  jobs: Record<string, JobInfo>;
  jobOrder: string[];
  applyJobEvent(event: JobEvent): void;
  cancelJob(jobId: string): Promise<void>;
}

export const createJobsSlice: StateCreator<StudioState, [], [], JobsSlice> = (set) => ({
  jobs: {},
  jobOrder: [],
  applyJobEvent: (event) =>
    set((s) => {
      const jobs = { ...s.jobs };
      let order = s.jobOrder;
      if (event.kind === 'started' || event.kind === 'ended') {
        if (!jobs[event.job.id]) order = [event.job.id, ...order].slice(0, 50);
        jobs[event.job.id] = event.job;
      } else if (event.kind === 'progress' && jobs[event.jobId]) {
        jobs[event.jobId] = { ...jobs[event.jobId], progress: event.progress, stage: event.stage };
      } else if (event.kind === 'log' && jobs[event.jobId]) {
        jobs[event.jobId] = { ...jobs[event.jobId], log: [...jobs[event.jobId].log, event.line].slice(-500) };
      }
      return { jobs, jobOrder: order };
    }),
  cancelJob: async (jobId) => {
    await studioClient().api.cancelJob({ jobId });
  },
});

/** Named selectors of the jobs slice. */
export const jobSelectors = {
  runningCount: (s: StudioState) => s.jobOrder.filter((id) => s.jobs[id]?.state === 'running').length,
  jobOrder: (s: StudioState) => s.jobOrder,
  job: (id: string) => (s: StudioState) => s.jobs[id],
};
