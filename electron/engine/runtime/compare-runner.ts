/** Inference processes of their own for comparisons: enough cached sessions for every variant, and clean memory figures. */
import { RunnerClient, runnerScript } from './runner/runner-client';

/**
 * Starts a runner process whose session cache holds `sessions` sessions, so that N variants run alternately never
 * evict each other (an evicted session would be re-created and its next run timed cold).
 * @param sessions - sessions to keep at once
 * @returns the started client; the caller disposes it
 */
export async function startDedicatedRunner(sessions: number): Promise<RunnerClient> {
  const client = new RunnerClient(runnerScript(), Math.max(1, sessions));
  await client.call({ op: 'stats' }, { what: 'starting an inference process for the comparison' });
  return client;
}
