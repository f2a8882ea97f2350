/** Inference processes of their own for comparisons: enough cached sessions for every variant, and clean memory figures. */
import { RunnerClient } from './runner/runner-client';

/** The env variable the runner reads at start for its session cache size (runner-main.ts). */
const CACHE_ENV = 'DEPLOY_STUDIO_SESSION_CACHE';

/**
 * Starts a runner process whose session cache holds `sessions` sessions, so that N variants run alternately never
 * evict each other (an evicted session would be re-created and its next run timed cold).
 * @param sessions - sessions to keep at once
 * @returns the started client; the caller disposes it
 */
export async function startDedicatedRunner(sessions: number): Promise<RunnerClient> {
  const client = new RunnerClient();
  const previous = process.env[CACHE_ENV];
  process.env[CACHE_ENV] = String(Math.max(1, sessions));
  let started: Promise<unknown>;
  try {
    // the child is forked synchronously inside the first call, with the environment as it is now
    started = client.call({ op: 'stats' }, { what: 'starting an inference process for the comparison' });
  } finally {
    if (previous === undefined) delete process.env[CACHE_ENV];
    else process.env[CACHE_ENV] = previous;
  }
  await started;
  return client;
}
