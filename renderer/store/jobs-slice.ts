/** Jobs slice: every job the engine reports, fed by its events; the panel lists the user's jobs, not previews. */
import type { StateCreator } from 'zustand';
import type { JobEvent, JobInfo } from '../../shared/api/jobs';
import { studioClient } from '../services';
import type { StudioState } from './index';

/**
 * Job kinds the studio starts on its own (dry runs while the user edits options, live camera frames): their progress
 * shows where they were asked for, never as entries of the jobs panel.
 */
export const BACKGROUND_JOB_KINDS: ReadonlySet<string> = new Set(['prune-preview', 'run-task-live']);

/** @returns whether the jobs panel lists a job of this kind. */
export function isPanelJob(job: Pick<JobInfo, 'kind'>): boolean {
  return !BACKGROUND_JOB_KINDS.has(job.kind);
}

export interface JobsSlice {
  jobs: Record<string, JobInfo>;
  /** ids of the jobs the panel lists, newest first */
  jobOrder: string[];
  jobsCollapsed: boolean;
  applyJobEvent(event: JobEvent): void;
  cancelJob(jobId: string): Promise<void>;
  /** removes finished jobs from the panel (running ones stay) */
  clearFinishedJobs(): void;
  setJobsCollapsed(collapsed: boolean): void;
}

export const createJobsSlice: StateCreator<StudioState, [], [], JobsSlice> = (set) => ({
  jobs: {},
  jobOrder: [],
  jobsCollapsed: false,
  applyJobEvent: (event) =>
    set((s) => {
      const jobs = { ...s.jobs };
      let order = s.jobOrder;
      if (event.kind === 'started' || event.kind === 'ended') {
        if (!jobs[event.job.id] && isPanelJob(event.job)) order = [event.job.id, ...order].slice(0, 50);
        jobs[event.job.id] = event.job;
      } else if (event.kind === 'progress' && jobs[event.jobId]) {
        jobs[event.jobId] = { ...jobs[event.jobId], progress: event.progress, stage: event.stage };
      } else if (event.kind === 'log' && jobs[event.jobId]) {
        jobs[event.jobId] = { ...jobs[event.jobId], log: [...jobs[event.jobId].log, event.line].slice(-500) };
      }
      return { jobs: trimBackground(jobs, order), jobOrder: order };
    }),
  cancelJob: async (jobId) => {
    await studioClient().api.cancelJob({ jobId });
  },
  clearFinishedJobs: () =>
    set((s) => {
      const order = s.jobOrder.filter((id) => s.jobs[id]?.state === 'running' || s.jobs[id]?.state === 'queued');
      const jobs: Record<string, JobInfo> = {};
      for (const [id, job] of Object.entries(s.jobs)) if (order.includes(id) || !isPanelJob(job)) jobs[id] = job;
      return { jobs, jobOrder: order };
    }),
  setJobsCollapsed: (collapsed) => set({ jobsCollapsed: collapsed }),
});

/** Keeps at most 20 finished background jobs (previews run often). */
function trimBackground(jobs: Record<string, JobInfo>, order: string[]): Record<string, JobInfo> {
  const finished = Object.values(jobs).filter((j) => !order.includes(j.id) && j.state !== 'running' && j.state !== 'queued');
  if (finished.length <= 20) return jobs;
  const out = { ...jobs };
  for (const j of finished.slice(0, finished.length - 20)) delete out[j.id];
  return out;
}

/** Named selectors of the jobs slice. */
export const jobSelectors = {
  runningCount: (s: StudioState) => s.jobOrder.filter((id) => s.jobs[id]?.state === 'running').length,
  jobOrder: (s: StudioState) => s.jobOrder,
  job: (id: string) => (s: StudioState) => s.jobs[id],
  collapsed: (s: StudioState) => s.jobsCollapsed,
};
