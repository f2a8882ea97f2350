/** Applying a profile to a session on this host: providers, threads and optimization level, and what cannot be emulated. */
import * as os from 'node:os';
import type { HostEpDto, HostInfoDto, ProfileSessionDto } from '../../../shared/api/targets-api';
import { formatBytes } from '../../../shared/format/bytes';
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import type { BackendSessionOptions } from '../runtime/backend';
import { setTargetSessionResolver } from '../runtime/session-options';
import { detectHost } from './host-detect';
import { HOST_PROFILE_ID, type ProfileStore } from './profile-store';

/**
 * Session options that reproduce a target on this host as far as it can.
 * @param profile - the target
 * @param hostEps - execution providers of this host (from detection); only CPU counts as loadable when empty
 * @param logicalCores - this host's logical processors
 * @returns backend options and the readable account of what is and is not emulated
 */
export function sessionOptionsForProfile(profile: TargetProfile, hostEps: readonly HostEpDto[] = [], logicalCores = os.cpus().length): { options: BackendSessionOptions; session: ProfileSessionDto } {
  const emulated: string[] = [];
  const notEmulated: string[] = [];
  const loadable = new Set(['cpu', ...hostEps.filter((e) => e.loadable).map((e) => e.name)]);
  const providers: string[] = [];
  for (const ep of profile.executionProviders) {
    const mapped = ep === 'wasm' ? 'cpu' : ep;
    if (ep === 'wasm') notEmulated.push('WebAssembly: the native CPU provider stands in for it (same kernels, native speed rather than WebAssembly speed).');
    if (loadable.has(mapped)) {
      if (!providers.includes(mapped)) providers.push(mapped);
    } else {
      const why = hostEps.find((e) => e.name === ep)?.reason ?? 'onnxruntime-node here does not ship it';
      notEmulated.push(`${ep}: not available on this host (${why}); its nodes run on the next provider.`);
    }
  }
  if (!providers.includes('cpu')) providers.push('cpu');
  if (providers.length) emulated.push(`execution providers: ${providers.join(', ')}`);

  let intra: number | null = profile.threads.intraOp || null;
  if (intra !== null && intra > logicalCores) {
    notEmulated.push(`${intra} intra-op threads: this host has ${logicalCores} logical processors, so ${logicalCores} are used.`);
    intra = logicalCores;
  }
  if (intra !== null) emulated.push(`intra-op threads: ${intra}`);
  const inter = profile.threads.interOp || null;
  if (inter !== null) emulated.push(`inter-op threads: ${inter}`);
  emulated.push(`graph optimization: ${profile.graphOptimizationLevel}`);

  if (profile.id !== HOST_PROFILE_ID) {
    notEmulated.push(
      `Compute speed and memory bandwidth: the host's CPU runs the model, not ${profile.hardware.accelerator ?? profile.hardware.cpu ?? 'the target'}; use the estimate for the target's latency.`,
    );
    notEmulated.push(`Memory budget (${formatBytes(profile.memoryBudgetBytes)}): not enforced; compare the benchmark's peak RSS with it.`);
    if (profile.precisions.supported.some((p) => p === 'fp16' || p === 'bf16' || p === 'int4')) {
      notEmulated.push('Precision behaviour: float16/bfloat16/int4 run with the host CPU kernels, whose speed does not reflect the target.');
    }
  }
  const options: BackendSessionOptions = {
    executionProviders: providers,
    graphOptimizationLevel: profile.graphOptimizationLevel,
    ...(intra !== null ? { intraOpThreads: intra } : {}),
    ...(inter !== null ? { interOpThreads: inter } : {}),
  };
  return {
    options,
    session: { executionProviders: providers, intraOpThreads: intra, interOpThreads: inter, graphOptimizationLevel: profile.graphOptimizationLevel, emulated, notEmulated },
  };
}

/**
 * Session options for a profile id, with this host's execution providers detected (once per process).
 * @param host - detection results when the caller has them (else detected here)
 * @throws StudioError for an unknown id
 */
export async function sessionForTarget(store: ProfileStore, targetId: string, host?: HostInfoDto): Promise<{ options: BackendSessionOptions; session: ProfileSessionDto }> {
  const { profile } = await store.get(targetId);
  host ??= await detectHost().catch(() => undefined);
  return sessionOptionsForProfile(profile, host?.executionProviders ?? [], host?.logicalCores ?? os.cpus().length);
}

/**
 * Plugs target profiles into the runtime: `--target ID` on bench/run (and `targetId` in the API) uses these options.
 * @param store - where profiles are read from
 */
export function installTargetSessionResolver(store: ProfileStore): void {
  setTargetSessionResolver(async (targetId) => (await sessionForTarget(store, targetId)).options);
}
