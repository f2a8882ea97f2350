/** kill -9 of the inference process during calibration, recovery and comparison: the job fails, the engine stays. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/api/jobs';
import { createEngine } from '../../electron/engine/features';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { generated, SAMPLE } from './fixtures';
import { SAMPLE_IMAGES } from './helpers/eval-data';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-crash-jobs-'));
const events: JobEvent[] = [];
const engine = createEngine({ dataDir, samplePath: SAMPLE, appVersion: 'test', onJobEvent: (e) => events.push(e) });
afterAll(() => {
  engine.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const atStage = (jobId: string, stage: RegExp) => () => events.some((e) => e.kind === 'progress' && e.jobId === jobId && stage.test(e.stage));

/** @returns pids of this process's children that run the inference runner script. */
function runnerChildren(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('runtime-runner')) out.push(Number(entry));
    } catch {
      // the process ended while it was read
    }
  }
  return out;
}

async function expectCrashed(running: Promise<unknown>): Promise<void> {
  const err = await running.then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err?.code).toBe('WORKER_CRASHED');
  expect(err?.message).toMatch(/inference process stopped \(signal SIGKILL\)/);
}

async function modelsStillOpen(ids: string[]): Promise<void> {
  const open = (await engine.call('listModels', {})).map((m) => m.modelId);
  for (const id of ids) expect(open).toContain(id);
}

describe('kill -9 of the inference process during optimization jobs and comparisons', () => {
  it('static int8 calibration: the job fails with WORKER_CRASHED, the models stay open, the next job succeeds', async () => {
    const { modelId } = await engine.call('openModel', { path: generated('resnet18.onnx') });
    const { modelId: sampleId } = await engine.call('openSample', {});
    const jobId = 'crash-calibration';
    const running = engine.call('runPasses', { modelId, steps: [{ pass: 'quantize-static', options: { calibrationLimit: 64, errorItems: 0 } }], jobId });
    running.catch(() => undefined);
    await until(atStage(jobId, /calibrating/), 'calibration runs');
    await until(() => runtimeFor(engine).jobRunner.busy, 'a calibration run in the inference process');
    const runtime = runtimeFor(engine);
    const pid = runtime.jobRunner.pid as number;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    process.kill(pid, 'SIGKILL');
    await expectCrashed(running);
    const job = (await engine.call('listJobs', {})).find((j) => j.id === jobId);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'WORKER_CRASHED' } });
    await modelsStillOpen([modelId, sampleId]);

    const next = await engine.call('runPasses', { modelId: sampleId, steps: [{ pass: 'quantize-static', options: { calibrationLimit: 8, errorItems: 4 } }] });
    expect(next.variant.path).toMatch(/\.onnx$/);
    expect(runtime.jobRunner.pid).not.toBe(pid);
    expect(runtime.jobRunner.starts).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it('channel pruning recovery: the job fails with WORKER_CRASHED, the models stay open, the next job succeeds', async () => {
    const { modelId } = await engine.call('openSample', {});
    const jobId = 'crash-recovery';
    const steps = [{ pass: 'prune-channels', options: { sparsity: 0.5, recover: true, calibration: { path: SAMPLE_IMAGES } } }];
    const running = engine.call('runPasses', { modelId, steps, jobId });
    running.catch(() => undefined);
    await until(atStage(jobId, /recovery/), 'recovery');
    await until(() => runtimeFor(engine).jobRunner.busy, 'a recovery run in the inference process');
    const pid = runtimeFor(engine).jobRunner.pid as number;
    process.kill(pid, 'SIGKILL');
    await expectCrashed(running);
    await modelsStillOpen([modelId]);
    const next = await engine.call('runPasses', { modelId, steps });
    expect(next.variant.path).toMatch(/\.onnx$/);
  }, 240_000);

  it('comparison: the job fails with WORKER_CRASHED, the models stay open, the next comparison succeeds', async () => {
    const { modelId } = await engine.call('openSample', {});
    const jobId = 'crash-compare';
    const request = { modelIds: [modelId, modelId], data: { path: SAMPLE_IMAGES }, memory: false, timingRounds: 100_000, timingSeconds: 600 };
    const running = engine.call('compareVariants', { ...request, jobId });
    running.catch(() => undefined);
    await until(atStage(jobId, /latency/), 'the latency rounds');
    const known = new Set([runtimeFor(engine).runner.pid, runtimeFor(engine).jobRunner.pid]);
    const dedicated = runnerChildren().filter((p) => !known.has(p));
    expect(dedicated).toHaveLength(1);
    process.kill(dedicated[0], 'SIGKILL');
    await expectCrashed(running);
    await modelsStillOpen([modelId]);
    const next = await engine.call('compareVariants', { ...request, timingRounds: 10, timingSeconds: 1 });
    expect(next.rows).toHaveLength(2);
    expect(next.sessionOptions.intraOpThreads).toBeGreaterThan(0);
  }, 240_000);
});
