/** The one resolver of session settings: this host's defaults, then a target profile's, then the user's, as concrete numbers. */
import { StudioError } from '../../../shared/api/errors';
import type { ResolvedSessionOptions, SessionOptionsDto } from '../../../shared/api/runtime-api';
import type { BackendSessionOptions } from './backend';
import { detectCpu } from './cpu-info';

/**
 * Turns a target profile id into session options (execution providers, threads, optimization level).
 * @param targetId - the profile id the user chose (`--target ID`)
 * @param base - the options so far (the host's defaults)
 * @returns the profile's options; fields it leaves out keep the host's defaults, the user's explicit options go over them
 * @throws StudioError (e.g. `INVALID_REQUEST` for an unknown profile id)
 */
export type TargetSessionResolver = (targetId: string, base: BackendSessionOptions) => BackendSessionOptions | Promise<BackendSessionOptions>;

let targetResolver: TargetSessionResolver | undefined;

/**
 * Plugs target profiles into every session the runtime creates (called once by the composition root).
 * @param resolver - profile id → session options; `undefined` removes it
 */
export function setTargetSessionResolver(resolver: TargetSessionResolver | undefined): void {
  targetResolver = resolver;
}

/** Fully resolved options: every field has a value. */
export type ConcreteSessionOptions = Required<Pick<BackendSessionOptions, 'intraOpThreads' | 'interOpThreads' | 'graphOptimizationLevel' | 'executionMode' | 'executionProviders'>> &
  BackendSessionOptions;

let hostCores: number | undefined;

/**
 * The intra-op thread count a session gets when nobody chose one: one per physical core.
 * @remarks onnxruntime-node left alone runs one intra-op thread on some hosts (measured on a 2-core AMD EPYC: resnet18
 * p50 18.8 ms with 1 thread, 9.4 ms with 2). One thread per physical core is what onnxruntime's own default aims at;
 * hyper-threads share a core's vector units, so counting them as cores adds contention, not speed.
 * `DEPLOY_STUDIO_THREADS` overrides it for a whole process (CI machines with a core quota).
 */
export function defaultIntraOpThreads(): number {
  const env = Number(process.env.DEPLOY_STUDIO_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  hostCores ??= Math.max(1, detectCpu().physicalCores);
  return hostCores;
}

/** @returns this host's defaults, with where each came from. */
export function hostSessionDefaults(): { options: ConcreteSessionOptions; origin: string } {
  const threads = defaultIntraOpThreads();
  const fromEnv = Number(process.env.DEPLOY_STUDIO_THREADS) > 0;
  return {
    options: { intraOpThreads: threads, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', executionProviders: ['cpu'] },
    origin: fromEnv ? `${threads} intra-op threads from DEPLOY_STUDIO_THREADS` : `${threads} intra-op threads: one per physical core of this host`,
  };
}

/**
 * The options a session gets: the host's defaults, the target profile's over them, the user's over those.
 * @param user - what the user set (threads, optimization level, execution mode); 0 threads means "the default"
 * @param targetId - a target profile id, when one was chosen
 * @returns concrete backend options and their readable form (with the target and where the thread count came from)
 * @throws StudioError `INVALID_REQUEST` when a target is asked for and no profiles are available
 */
export async function resolveSessionOptions(
  user: SessionOptionsDto | undefined,
  targetId?: string | null,
): Promise<{ options: ConcreteSessionOptions; resolved: ResolvedSessionOptions }> {
  const host = hostSessionDefaults();
  let options: ConcreteSessionOptions = { ...host.options };
  let origin = host.origin;
  let threadsFrom: 'host' | 'target' | 'user' = Number(process.env.DEPLOY_STUDIO_THREADS) > 0 ? 'user' : 'host';
  if (targetId) {
    if (!targetResolver) {
      throw new StudioError('INVALID_REQUEST', `Target profile "${targetId}" cannot be applied: no target profiles are available in this build. Leave out --target.`);
    }
    const fromTarget = await targetResolver(targetId, { ...host.options });
    for (const [k, v] of Object.entries(fromTarget)) {
      if (v !== undefined && v !== null && !(typeof v === 'number' && v <= 0)) (options as unknown as Record<string, unknown>)[k] = v;
    }
    if (fromTarget.intraOpThreads && fromTarget.intraOpThreads > 0) {
      origin = `${options.intraOpThreads} intra-op threads from the ${targetId} profile`;
      threadsFrom = 'target';
    }
  }
  if (user?.intraOpThreads) {
    options.intraOpThreads = user.intraOpThreads;
    origin = `${user.intraOpThreads} intra-op threads: your setting`;
    threadsFrom = 'user';
  }
  if (user?.interOpThreads) options.interOpThreads = user.interOpThreads;
  if (user?.graphOptimizationLevel) options.graphOptimizationLevel = user.graphOptimizationLevel;
  if (user?.executionMode) options.executionMode = user.executionMode;
  options = { ...options, executionProviders: [...options.executionProviders] };
  return { options, resolved: { ...describeOptions(options), targetId: targetId ?? null, origin, threadsFrom } };
}

/** @returns the options in readable form, for reports (fields a caller left out show onnxruntime's defaults). */
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
