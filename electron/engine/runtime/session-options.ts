/** Session options: the user's choices merged over a target profile's, and the hook target profiles plug into. */
import { StudioError } from '../../../shared/api/errors';
import type { ResolvedSessionOptions, SessionOptionsDto } from '../../../shared/api/runtime-api';
import type { BackendSessionOptions } from './backend';

/**
 * Turns a target profile id into session options (execution providers, threads, optimization level).
 * @param targetId - the profile id the user chose (`--target ID`)
 * @param base - the options so far (empty unless a caller preset some)
 * @returns the profile's options; the user's explicit options are applied over them
 * @throws StudioError (e.g. `INVALID_REQUEST` for an unknown profile id)
 */
export type TargetSessionResolver = (targetId: string, base: BackendSessionOptions) => BackendSessionOptions | Promise<BackendSessionOptions>;

let targetResolver: TargetSessionResolver | undefined;

/**
 * Plugs target profiles into every session the runtime creates (called once by the targets feature).
 * @param resolver - profile id → session options; `undefined` removes it
 */
export function setTargetSessionResolver(resolver: TargetSessionResolver | undefined): void {
  targetResolver = resolver;
}

/**
 * The options a session gets.
 * @param user - what the user set (threads, optimization level, execution mode)
 * @param targetId - a target profile id, when one was chosen
 * @returns backend options and their readable, fully resolved form
 * @throws StudioError `INVALID_REQUEST` when a target is asked for and no profiles are available
 */
export async function resolveSessionOptions(
  user: SessionOptionsDto | undefined,
  targetId?: string,
): Promise<{ options: BackendSessionOptions; resolved: ResolvedSessionOptions }> {
  let options: BackendSessionOptions = {};
  if (targetId) {
    if (!targetResolver) {
      throw new StudioError('INVALID_REQUEST', `Target profile "${targetId}" cannot be applied: no target profiles are available in this build. Leave out --target.`);
    }
    options = { ...(await targetResolver(targetId, {})) };
  }
  if (user?.intraOpThreads !== undefined) options.intraOpThreads = user.intraOpThreads;
  if (user?.interOpThreads !== undefined) options.interOpThreads = user.interOpThreads;
  if (user?.graphOptimizationLevel) options.graphOptimizationLevel = user.graphOptimizationLevel;
  if (user?.executionMode) options.executionMode = user.executionMode;
  // 0 threads means "onnxruntime decides", the same as leaving it out
  if (options.intraOpThreads === 0) delete options.intraOpThreads;
  if (options.interOpThreads === 0) delete options.interOpThreads;
  return { options, resolved: describeOptions(options) };
}

/** @returns the options with onnxruntime's defaults filled in, for reports. */
export function describeOptions(o: BackendSessionOptions): ResolvedSessionOptions {
  return {
    intraOpThreads: o.intraOpThreads ?? null,
    interOpThreads: o.interOpThreads ?? null,
    graphOptimizationLevel: o.graphOptimizationLevel ?? 'all',
    executionMode: o.executionMode ?? 'sequential',
    executionProviders: o.executionProviders?.length ? [...o.executionProviders] : ['cpu'],
  };
}

/** @returns a stable cache key for a set of options. */
export function optionsKey(o: BackendSessionOptions): string {
  const entries = Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}
