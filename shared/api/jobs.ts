/** Job DTOs: every operation longer than a second is a job with progress, cancel, a log and a result. */
import { z } from 'zod';
import type { StudioErrorDto } from './errors';

/**
 * Fields every job-starting request may carry: the caller picks the job id so it can match progress events and
 * cancel before the result arrives. The method's promise resolves with the job's typed result.
 */
export const jobRequestFields = {
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
};

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  /** 0..1 */
  progress: number;
  stage: string;
  startedAt: string;
  endedAt?: string;
  error?: StudioErrorDto;
  log: string[];
}

export type JobEvent =
  | { kind: 'started'; job: JobInfo }
  | { kind: 'progress'; jobId: string; progress: number; stage: string }
  | { kind: 'log'; jobId: string; line: string }
  | { kind: 'ended'; job: JobInfo };
