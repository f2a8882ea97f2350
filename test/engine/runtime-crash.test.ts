/** Engine tests of isolation: the inference process killed mid-benchmark, the engine host killed, cancel. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/api/jobs';
import type { StudioEvent } from '../../shared/api/methods';
import { createEngine } from '../../electron/engine/features';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { generated, ROOT, SAMPLE } from './fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-runtime-crash-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Waits until `check` holds (polling; the work it waits on runs in other processes). */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const measuring = (events: () => JobEvent[], jobId: string) => () => events().some((e) => e.kind === 'progress' && e.jobId === jobId && e.stage.startsWith('run '));

describe('the inference process is killed mid-benchmark (engine in this process)', () => {
  const events: JobEvent[] = [];
  const engine = createEngine({ dataDir, samplePath: SAMPLE, appVersion: 'test', onJobEvent: (e) => events.push(e) });
  afterAll(() => runtimeFor(engine).dispose());

  it('fails the job with WORKER_CRASHED, keeps the model open, and the next job succeeds', async () => {
    const { modelId } = await engine.call('openModel', { path: generated('resnet18.onnx') });
    const running = engine.call('benchmark', { modelId, seconds: 120, jobId: 'crash-bench-1' });
    running.catch(() => undefined);
    await until(measuring(() => events, 'crash-bench-1'), 'the timed runs');
    const runner = runtimeFor(engine).runner;
    const pid = runner.pid as number;
    process.kill(pid, 'SIGKILL');
    const err = await running.then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('WORKER_CRASHED');
    expect(err?.message).toMatch(/inference process stopped \(signal SIGKILL\) during the benchmark of resnet18\.onnx/);
    const [job] = await engine.call('listJobs', {});
    expect(job).toMatchObject({ id: 'crash-bench-1', state: 'failed', error: { code: 'WORKER_CRASHED' } });

    const next = await engine.call('benchmark', { modelId, runs: 5, warmup: 1 });
    expect(next.runs).toBe(5);
    expect(next.runnerPid).not.toBe(pid);
    expect(runner.starts).toBe(2);
    expect((await engine.call('getSummary', { modelId })).fileName).toBe('resnet18.onnx');
  });

  it('cancels a benchmark between runs without stopping the inference process', async () => {
    const { modelId } = await engine.call('openSample', {});
    const running = engine.call('benchmark', { modelId, seconds: 120, jobId: 'cancel-bench-1' });
    running.catch(() => undefined);
    await until(measuring(() => events, 'cancel-bench-1'), 'the timed runs');
    const pid = runtimeFor(engine).runner.pid;
    await engine.call('cancelJob', { jobId: 'cancel-bench-1' });
    await expect(running).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(runtimeFor(engine).runner.pid).toBe(pid);
  });
});

describe('through the engine host process (as serve and the app run it)', () => {
  const events: StudioEvent[] = [];
  const client = new EngineClient(() => forkTransport(path.join(ROOT, 'out', 'engine', 'engine-host.cjs')), {
    dataDir,
    samplePath: SAMPLE,
    appVersion: 'test',
  });
  client.onEvent((e) => events.push(e));
  afterAll(() => client.dispose());
  const jobEvents = () => events.map((e) => e.event);

  it('survives the inference process being killed: job fails clearly, host and models stay, next job succeeds', async () => {
    const { modelId } = await client.call('openSample', {});
    const running = client.call('benchmark', { modelId, seconds: 120, jobId: 'host-bench-1' });
    running.catch(() => undefined);
    await until(measuring(jobEvents, 'host-bench-1'), 'the timed runs');
    const info = await client.call('getRuntimeInfo', {});
    expect(info.runnerPid).toBeGreaterThan(0);
    process.kill(info.runnerPid as number, 'SIGKILL');
    await expect(running).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    const next = await client.call('benchmark', { modelId, runs: 10 });
    expect(next.latencyMs.p50).toBeGreaterThan(0);
    expect(client.starts).toBe(1);
  });

  it('restarts a killed engine host and reopens its models under the same ids', async () => {
    const { modelId } = await client.call('openModel', { path: generated('resnet18.onnx') });
    const running = client.call('benchmark', { modelId, seconds: 120, jobId: 'host-bench-2' });
    running.catch(() => undefined);
    await until(measuring(jobEvents, 'host-bench-2'), 'the timed runs');
    process.kill(client.pid as number, 'SIGKILL');
    await expect(running).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    await until(() => jobEvents().some((e) => e.kind === 'ended' && e.job.id === 'host-bench-2'), 'the failed job event', 5000);
    const summary = await client.call('getSummary', { modelId });
    expect(summary.fileName).toBe('resnet18.onnx');
    expect(client.starts).toBe(2);
    const r = await client.call('runModel', { modelId });
    expect(r.outputs[0].shape).toEqual([1, 1000]);
  });
});
