/** The one timing protocol: inputs prepared before the clock starts, warm-up, then rounds that alternate the models. */
import type { BackendSession, PreparedFeeds } from '../backend';

/** One model being timed: a warm session and its inputs, already in the backend's own form. */
export interface TimedEntry {
  session: BackendSession;
  feeds: PreparedFeeds;
}

export interface TimingPlan {
  /** untimed runs of every model before the first timed round (at least; see {@link TimingPlan.warmupMs}) */
  warmup: number;
  /**
   * Warm-up also lasts at least this long (default {@link MIN_WARMUP_MS}), capped at {@link MAX_WARMUP_ROUNDS} rounds.
   * @remarks A count alone leaves a fresh process's JavaScript around each run (onnxruntime's feed checks, output
   * tensors) unoptimized for hundreds of runs: on a 0.05 ms model that added 5–9 % to the first timed runs.
   */
  warmupMs?: number;
  /** timed rounds at most (each runs every model once) */
  rounds: number;
  /** stop after this many seconds of timed rounds, once `minRounds` ran */
  seconds?: number;
  minRounds?: number;
}

export interface TimingHooks {
  /** called between runs: throws to stop (cancellation) */
  check(): void;
  /** progress of the timed rounds, 0..1 */
  progress(fraction: number, round: number): void;
  /** called after each run (memory sampling) */
  sample?(): void;
}

/** Warm-up lasts at least this long by default: long enough for V8 to optimize the code around a tiny model's run. */
export const MIN_WARMUP_MS = 150;
/** …but never more rounds than this. */
export const MAX_WARMUP_ROUNDS = 5000;

/** Progress is reported at most this often. */
const PROGRESS_MS = 100;

/**
 * Times models the same way for every feature (bench, compare, demo, target measurement, package figures): each timed
 * run is the backend's run alone (inputs were converted before, outputs are dropped); each round runs every model
 * once, and the order rotates by one per round so that machine noise falls on all models alike.
 * @param entries - the models (one for a plain benchmark)
 * @returns per model, every timed run in order (milliseconds), and the wall time of the timed rounds
 */
export async function timeAlternating(entries: readonly TimedEntry[], plan: TimingPlan, hooks: TimingHooks): Promise<{ latencies: number[][]; measuredMs: number }> {
  const warmStart = performance.now();
  const warmMs = plan.warmupMs ?? MIN_WARMUP_MS;
  for (let w = 0; w < MAX_WARMUP_ROUNDS && (w < plan.warmup || performance.now() - warmStart < warmMs); w++) {
    for (const e of entries) {
      hooks.check();
      await e.session.runDiscarding(e.feeds);
    }
  }
  const latencies = entries.map(() => [] as number[]);
  const limitMs = plan.seconds ? plan.seconds * 1000 : Infinity;
  const minRounds = Math.min(plan.rounds, plan.minRounds ?? 1);
  const start = performance.now();
  let lastProgress = start;
  let round = 0;
  while (round < plan.rounds) {
    for (let k = 0; k < entries.length; k++) {
      const i = (round + k) % entries.length;
      const e = entries[i];
      const t0 = performance.now();
      await e.session.runDiscarding(e.feeds);
      latencies[i].push(performance.now() - t0);
      hooks.sample?.();
    }
    round++;
    hooks.check();
    const now = performance.now();
    if (now - lastProgress >= PROGRESS_MS) {
      lastProgress = now;
      const f = Math.max(Number.isFinite(plan.rounds) ? round / plan.rounds : 0, (now - start) / limitMs);
      hooks.progress(Math.min(1, f), round);
    }
    if (round >= minRounds && now - start >= limitMs) break;
  }
  return { latencies, measuredMs: performance.now() - start };
}
