/** Load: 20 jobs fired at once through one engine host all end cleanly, the host survives, peak memory is reported. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/api/errors';
import type { StudioEvent } from '../../shared/api/methods';
import { EngineClient } from '../../electron/engine/host/engine-client';
import { forkTransport } from '../../electron/engine/host/fork-transport';
import { ROOT, SAMPLE } from './fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-hardening-load-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const CALIBRATION = path.join(path.dirname(SAMPLE), 'images');
const GB = 2 ** 30;

/** @returns a process's peak resident memory (VmHWM) in bytes, or undefined when it is gone or /proc is missing. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** @returns the pids of a process's descendants (Linux /proc). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    let children = '';
    try {
      children = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.split(/\s+/).filter(Boolean).map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

type Outcome = { ok: true; method: string } | { ok: false; method: string; code: string; message: string };

describe('20 jobs at once through one engine host', () => {
  const events: StudioEvent[] = [];
  const client = new EngineClient(() => forkTransport(path.join(ROOT, 'out', 'engine', 'engine-host.cjs')), {
    dataDir,
    samplePath: SAMPLE,
    appVersion: 'test',
  });
  client.onEvent((e) => events.push(e));
  afterAll(() => client.dispose());

  it('every job resolves or fails with a coded error, the host stays up, and memory stays bounded', async () => {
    const { modelId } = await client.call('openSample', {});
    const hostPid = client.pid as number;
    const runnerPids = new Set<number>();
    const sample = () => {
      for (const pid of descendants(hostPid)) runnerPids.add(pid);
    };
    const sampler = setInterval(sample, 100);

    const jobs: Array<{ method: string; run: () => Promise<unknown> }> = [];
    for (let i = 0; i < 12; i++) jobs.push({ method: 'benchmark', run: () => client.call('benchmark', { modelId, runs: 20, warmup: 2 }) });
    for (let i = 0; i < 2; i++) {
      jobs.push({ method: 'runPasses:quantize-static', run: () => client.call('runPasses', { modelId, steps: [{ pass: 'quantize-static', options: { calibration: CALIBRATION, errorItems: 8 } }] }) });
      jobs.push({ method: 'runPasses:quantize-dynamic', run: () => client.call('runPasses', { modelId, steps: [{ pass: 'quantize-dynamic', options: {} }] }) });
      jobs.push({ method: 'runPasses:graph-optimize', run: () => client.call('runPasses', { modelId, steps: [{ pass: 'graph-optimize', options: {} }] }) });
      jobs.push({ method: 'runPasses:prune-magnitude', run: () => client.call('runPasses', { modelId, steps: [{ pass: 'prune-magnitude', options: { sparsity: 0.5 } }] }) });
    }
    expect(jobs).toHaveLength(20);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('20 concurrent jobs did not all end within 150 s')), 150_000);
    });
    const outcomes = await Promise.race([
      Promise.all(
        jobs.map(({ method, run }) =>
          run().then(
            (): Outcome => ({ ok: true, method }),
            (e: unknown): Outcome => ({ ok: false, method, code: String((e as { code?: unknown }).code), message: String((e as Error).message) }),
          ),
        ),
      ),
      timeout,
    ]).finally(() => {
      clearTimeout(timer);
      clearInterval(sampler);
    });
    sample();

    const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    for (const f of failed) {
      expect(ERROR_CODES as readonly string[]).toContain(f.code);
      expect(f.message.length).toBeGreaterThan(10);
    }
    // nothing here should fail: the sample is a good model and every request is valid
    expect(failed).toEqual([]);
    expect(client.starts).toBe(1);
    expect(client.pid).toBe(hostPid);
    expect((await client.call('getSummary', { modelId })).fileName).toBe('fashion-cnn.onnx');
    const ended = events.filter((e) => e.event.kind === 'ended').length;
    expect(ended).toBeGreaterThanOrEqual(20);

    const host = peakRss(hostPid);
    const runners = [...runnerPids].map((pid) => ({ pid, peak: peakRss(pid) })).filter((r): r is { pid: number; peak: number } => r.peak !== undefined);
    const fmt = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `hardening-load: 20 jobs ended (${outcomes.length - failed.length} ok, ${failed.length} failed); peak RSS engine host ${host ? fmt(host) : 'n/a'}` +
        `, inference processes ${runners.map((r) => `${r.pid}: ${fmt(r.peak)}`).join(', ') || 'n/a'}`,
    );
    if (host !== undefined) expect(host).toBeLessThan(3 * GB);
    for (const r of runners) expect(r.peak).toBeLessThan(3 * GB);
  }, 180_000);
});
