/** What the runner process does for each call: load (cached) sessions, run once, benchmark, profile. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { BackendSession, BackendSessionOptions, HostTensor } from '../backend';
import { ortError, type OrtInputFact } from '../ort-messages';
import { ortVersion } from '../ort-info';
import { parseProfile } from '../profile-parse';
import type { SessionCache } from '../session-cache';
import type { BenchOutcome, RunnerCall, RunnerModel, RunOutcome, SessionMeta, TimeOutcome } from './runner-protocol';
import { timeAlternating } from './timing';
import { toBulk } from './bulk-tensors';

/** Progress and cancellation of the call being served. */
export interface OpContext {
  progress(fraction: number, stage: string): void;
  /** @throws StudioError `JOB_CANCELLED` once the engine cancelled the call */
  checkCancelled(): void;
}

const DEFAULT_RUNS = 100;
const RSS_SAMPLE_MS = 50;

/** onnxruntime could not create the session: its message in the studio's words (ort-messages.ts), its text in the details. */
function loadError(model: RunnerModel, err: unknown): StudioError {
  return ortError(err, { model: model.name, phase: 'load', ortVersion: ortVersion() });
}

/** The model's inputs as the session declares them and what the run gave each (feeds the session does not know too). */
function inputFacts(session: BackendSession | undefined, feeds: Record<string, HostTensor> | undefined): OrtInputFact[] {
  const facts: OrtInputFact[] = (session?.inputs ?? []).map((i) => ({ name: i.name, dtype: i.dtype, declared: i.shape }));
  for (const [name, t] of Object.entries(feeds ?? {})) {
    let fact = facts.find((f) => f.name === name);
    if (!fact) facts.push((fact = { name, dtype: t.dtype, declared: null }));
    fact.given = { dtype: t.dtype, dims: t.dims };
  }
  return facts;
}

/** onnxruntime refused a run: its message in the studio's words, naming the node and the inputs it was given. */
function runError(model: RunnerModel, err: unknown, session?: BackendSession, feeds?: Record<string, HostTensor>): StudioError {
  return ortError(err, { model: model.name, phase: 'run', ortVersion: ortVersion(), inputs: inputFacts(session, feeds) });
}

function meta(session: BackendSession, createMs: number, cached: boolean): SessionMeta {
  return { inputs: [...session.inputs], outputs: [...session.outputs], createMs, cached };
}

async function acquire(cache: SessionCache, model: RunnerModel, options: BackendSessionOptions, fresh = false) {
  try {
    if (fresh) await cache.release(`${model.key}|`);
    return await cache.acquire(model.key, model.path, options);
  } catch (err) {
    throw loadError(model, err);
  }
}

async function timedRun(session: BackendSession, feeds: ReturnType<BackendSession['prepare']>, model: RunnerModel, given?: Record<string, HostTensor>): Promise<number> {
  try {
    const t0 = performance.now();
    await session.runDiscarding(feeds);
    return performance.now() - t0;
  } catch (err) {
    throw runError(model, err, session, given);
  }
}

function memorySampler(): { sample(): void; peak(): number } {
  let peak = process.memoryUsage.rss();
  let last = performance.now();
  return {
    sample() {
      const now = performance.now();
      if (now - last < RSS_SAMPLE_MS) return;
      last = now;
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    peak() {
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak;
    },
  };
}

async function bench(cache: SessionCache, call: Extract<RunnerCall, { op: 'bench' }>, ctx: OpContext): Promise<BenchOutcome> {
  const memory = memorySampler();
  ctx.progress(0, 'creating the session');
  const { session, createMs } = await acquire(cache, call.model, call.options, true);
  memory.sample();
  let feeds;
  try {
    feeds = session.prepare(call.feeds);
  } catch (err) {
    throw runError(call.model, err, session, call.feeds);
  }
  ctx.progress(0.02, 'first run');
  const firstRunMs = await timedRun(session, feeds, call.model, call.feeds);
  memory.peak();
  const runs = call.runs ?? (call.seconds ? Infinity : DEFAULT_RUNS);
  const profileShare = call.profile ? 0.15 : 0;
  let timed;
  try {
    timed = await timeAlternating([{ session, feeds }], { warmup: call.warmup, rounds: runs, ...(call.seconds ? { seconds: call.seconds } : {}) }, {
      check: () => ctx.checkCancelled(),
      sample: () => memory.sample(),
      progress: (f, round) => ctx.progress(0.05 + f * (0.95 - profileShare), `run ${round}${Number.isFinite(runs) ? ` of ${runs}` : ''}`),
    });
  } catch (err) {
    throw runError(call.model, err, session, call.feeds);
  }
  const peakRssBytes = memory.peak();
  const profile = call.profile ? await profileRuns(cache, call, ctx) : null;
  return { session: meta(session, createMs, false), firstRunMs, latencies: timed.latencies[0], measuredMs: timed.measuredMs, peakRssBytes, profile, pid: process.pid };
}

/** Times several models alternately on their own inputs (comparisons): warm cached sessions, the shared protocol. */
async function timeModels(cache: SessionCache, call: Extract<RunnerCall, { op: 'time' }>, ctx: OpContext): Promise<TimeOutcome> {
  const memory = memorySampler();
  const entries = [];
  for (const m of call.models) {
    const { session } = await acquire(cache, m.model, m.options);
    try {
      entries.push({ session, feeds: session.prepare(m.feeds) });
    } catch (err) {
      throw runError(m.model, err, session, m.feeds);
    }
  }
  try {
    const timed = await timeAlternating(entries, { warmup: call.warmup, rounds: call.rounds, seconds: call.seconds, minRounds: call.minRounds }, {
      check: () => ctx.checkCancelled(),
      sample: () => memory.sample(),
      progress: (f, round) => ctx.progress(f, `latency: round ${round} of ${call.rounds}`),
    });
    return { ...timed, peakRssBytes: memory.peak(), pid: process.pid };
  } catch (err) {
    throw ortError(err, { model: call.models.map((m) => m.model.name).join(' or '), phase: 'run', ortVersion: ortVersion() });
  }
}

async function profileRuns(cache: SessionCache, call: Extract<RunnerCall, { op: 'bench' }>, ctx: OpContext): Promise<BenchOutcome['profile']> {
  const spec = call.profile as { runs: number; dir: string };
  fs.mkdirSync(spec.dir, { recursive: true });
  const prefix = path.join(spec.dir, `profile-${process.pid}-${Date.now()}`);
  ctx.progress(0.85, 'profiling');
  let created;
  try {
    created = await cache.createFresh(call.model.path, { ...call.options, enableProfiling: true, profileFilePrefix: prefix });
  } catch (err) {
    throw loadError(call.model, err);
  }
  const { session } = created;
  let file: string | undefined;
  try {
    const feeds = session.prepare(call.feeds);
    await timedRun(session, feeds, call.model, call.feeds);
    for (let i = 0; i < spec.runs; i++) {
      ctx.checkCancelled();
      await timedRun(session, feeds, call.model, call.feeds);
      ctx.progress(0.85 + (0.14 * (i + 1)) / spec.runs, `profiling run ${i + 1} of ${spec.runs}`);
    }
    file = session.endProfiling();
  } finally {
    await session.release();
  }
  if (!file) return null;
  try {
    return parseProfile(JSON.parse(fs.readFileSync(file, 'utf8')), 1);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Serves one call.
 * @returns the call's result (sent back to the engine as is)
 */
export async function serveCall(cache: SessionCache, call: RunnerCall, ctx: OpContext): Promise<unknown> {
  switch (call.op) {
    case 'meta': {
      const { session, createMs, cached } = await acquire(cache, call.model, call.options);
      return meta(session, createMs, cached);
    }
    case 'run': {
      const { session, createMs, cached } = await acquire(cache, call.model, call.options);
      let outputs;
      const t0 = performance.now();
      try {
        outputs = await session.run(session.prepare(call.feeds), call.outputs);
      } catch (err) {
        throw runError(call.model, err, session, call.feeds);
      }
      const ms = performance.now() - t0;
      if (call.bulkDir) return { session: meta(session, createMs, cached), outputs: toBulk(outputs, call.bulkDir), ms };
      return { session: meta(session, createMs, cached), outputs, ms } satisfies RunOutcome;
    }
    case 'bench':
      return bench(cache, call, ctx);
    case 'time':
      return timeModels(cache, call, ctx);
    case 'release':
      return { released: await cache.release(call.modelKey) };
    case 'stats':
      return { pid: process.pid, rssBytes: process.memoryUsage.rss(), sessions: cache.size };
  }
}
