/** `--build` steps: a failing tool's message keeps what it said (no stack trace), names a missing network, cancels. */
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/job-runner';
import { runStep } from './app-build';

describe('runStep', () => {
  it('reports the last lines without the stack trace, and says when the network was needed', async () => {
    const jobs = new JobRunner(() => undefined);
    const script = 'console.error("  ⨯ failed to build AppImage  error=getaddrinfo ENOTFOUND github.com"); console.error("    at ClientRequest.<anonymous> (x.js:1:1)"); process.exit(1)';
    const { result } = jobs.start('t', 't', (ctx) => runStep(process.execPath, ['-e', script], process.cwd(), ctx, 'electron-builder'));
    const err = (await result.catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('JOB_FAILED');
    expect(err.message).toContain('electron-builder failed (exit code 1); nothing was written');
    expect(err.message).toContain('failed to build AppImage  error=getaddrinfo ENOTFOUND github.com');
    expect(err.message).not.toContain('ClientRequest');
    expect(err.message).toContain('needed the network');
    const [job] = jobs.list();
    expect(job.log.join('\n')).toContain('ClientRequest');
  });

  it('kills the tool when the job is cancelled', async () => {
    const jobs = new JobRunner(() => undefined);
    const { jobId, result } = jobs.start('t', 'Build', (ctx) => runStep(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], process.cwd(), ctx, 'npm install'));
    setTimeout(() => jobs.cancel(jobId), 200);
    await expect(result).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });
});
