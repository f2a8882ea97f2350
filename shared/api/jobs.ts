/** Job DTOs: every operation longer than a second is a job with progress, cancel, a log and a result. */
import type { StudioErrorDto } from './errors';

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
