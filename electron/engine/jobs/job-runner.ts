/** The job runner: every long operation gets an id, progress events, a log, cancellation and a result. */
import { StudioError, toErrorDto, type StudioErrorDto } from '../../../shared/api/errors';
import type { JobEvent, JobInfo } from '../../../shared/api/jobs';

/** What a job's body gets to report progress and see cancellation. */
export interface JobContext {
  signal: AbortSignal;
  /** @param fraction - 0..1; @param stage - short text of what is happening */
  progress(fraction: number, stage?: string): void;
  log(line: string): void;
  /** @throws StudioError `JOB_CANCELLED` when the job was cancelled */
  throwIfCancelled(): void;
}

const MAX_LOG_LINES = 500;
const MAX_FINISHED_JOBS = 100;

/** Runs jobs and tells listeners about them. */
export class JobRunner {
  private readonly jobs = new Map<string, { info: JobInfo; controller: AbortController }>();
  private nextId = 1;

  constructor(private readonly emit: (event: JobEvent) => void) {}

  /**
   * Starts a job.
   * @param kind - machine name (`open-model`, `benchmark`, …)
   * @param title - what the user sees
   * @param body - the work; its return value is the job's result
   * @param requestedId - the id the caller chose (`jobRequestFields`), when it is not taken
   * @returns the job id and a promise of the result (rejects with a StudioError)
   */
  start<T>(kind: string, title: string, body: (ctx: JobContext) => Promise<T>, requestedId?: string): { jobId: string; result: Promise<T> } {
    const id = requestedId && !this.jobs.has(requestedId) ? requestedId : `job-${this.nextId++}`;
    const controller = new AbortController();
    const info: JobInfo = { id, kind, title, state: 'running', progress: 0, stage: 'starting', startedAt: new Date().toISOString(), log: [] };
    this.jobs.set(id, { info, controller });
    this.prune();
    this.emit({ kind: 'started', job: { ...info, log: [] } });
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (fraction, stage) => {
        info.progress = Math.max(0, Math.min(1, fraction));
        if (stage) info.stage = stage;
        this.emit({ kind: 'progress', jobId: id, progress: info.progress, stage: info.stage });
      },
      log: (line) => {
        info.log.push(line);
        if (info.log.length > MAX_LOG_LINES) info.log.shift();
        this.emit({ kind: 'log', jobId: id, line });
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new StudioError('JOB_CANCELLED', `${title} was cancelled.`);
      },
    };
    const result = (async () => {
      try {
        const value = await body(ctx);
        ctx.throwIfCancelled();
        info.state = 'succeeded';
        info.progress = 1;
        info.stage = 'done';
        return value;
      } catch (err) {
        const dto: StudioErrorDto = controller.signal.aborted ? { code: 'JOB_CANCELLED', message: `${title} was cancelled.` } : toErrorDto(err);
        info.state = dto.code === 'JOB_CANCELLED' ? 'cancelled' : 'failed';
        info.error = dto;
        info.stage = info.state;
        if (err instanceof Error && err.stack && dto.code === 'INTERNAL') info.log.push(err.stack);
        if (dto.details?.onnxruntime) ctx.log(`onnxruntime said: ${dto.details.onnxruntime}`);
        throw new StudioError(dto.code, dto.message, { cause: err, details: dto.details });
      } finally {
        info.endedAt = new Date().toISOString();
        this.emit({ kind: 'ended', job: { ...info, log: [...info.log] } });
      }
    })();
    return { jobId: id, result };
  }

  /** Requests cancellation; the job ends as `cancelled` when its body next checks. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.info.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  /** @returns every known job, newest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info, log: [...j.info.log] })).reverse();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_JOBS))) this.jobs.delete(j.info.id);
  }
}
