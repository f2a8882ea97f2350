/** The targets feature: profiles, host detection, the compatibility check with estimates, profile editing. */
import type { ModelAnalysisDto } from '../../../shared/api/analysis-api';
import type { CheckResultDto, HostInfoDto } from '../../../shared/api/targets-api';
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import { analysisService } from '../analysis/analysis-handlers';
import { ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { checkCompatibility } from './compatibility';
import { estimateLatency, fusedNodeKeys } from './estimate';
import { detectHost, isHostDetected } from './host-detect';
import { ProfileStore } from './profile-store';
import { installTargetSessionResolver, sessionForTarget } from './session-profile';

type Analysis = Omit<ModelAnalysisDto, 'modelId'>;

/**
 * Checks a model against a profile and estimates its latency and memory there.
 * @param loaded - the model
 * @param analysis - its analysis at the sizes to check for
 * @param profile - the target
 * @param session - what applying the profile on this host does
 */
export function checkModel(loaded: LoadedModel, analysis: Analysis, profile: TargetProfile, session: CheckResultDto['session'], modelId = ''): CheckResultDto {
  const compat = checkCompatibility(profile, analysis, loaded.fileSizeBytes + loaded.externalDataBytes);
  const fused = fusedNodeKeys(new ModelIR(loaded.proto), profile.graphOptimizationLevel);
  const latency = analysis.nodes.length ? estimateLatency(profile, analysis, fused) : null;
  const errors = compat.findings.some((f) => f.severity === 'error');
  const warnings = compat.findings.some((f) => f.severity === 'warning');
  const inputShapes: CheckResultDto['analysis']['inputShapes'] = {};
  const initNames = new Set(loaded.proto.graph?.initializer.map((t) => t.name));
  for (const input of loaded.proto.graph?.input ?? []) {
    if (initNames.has(input.name)) continue;
    inputShapes[input.name] = analysis.tensors.find((t) => t.name === input.name && t.graph === 'main')?.shape ?? null;
  }
  return {
    modelId,
    fileName: loaded.fileName,
    target: { id: profile.id, name: profile.name, deviceClass: profile.deviceClass },
    verdict: errors ? 'errors' : warnings ? 'warnings' : 'ok',
    findings: compat.findings,
    assignment: compat.assignment,
    latency,
    memory: compat.memory,
    analysis: {
      macs: analysis.totals.macs,
      flops: analysis.totals.flops,
      complete: analysis.complete,
      dims: analysis.dims,
      assumedDims: analysis.assumedDims,
      inputShapes,
    },
    session,
    checkedAt: new Date().toISOString(),
  };
}

/** The detection job in flight, shared by concurrent callers. */
let detecting: Promise<HostInfoDto> | undefined;

/**
 * This host's detection, run as a job the first time (it starts child processes and takes a few seconds).
 * @param engine - the engine whose job runner shows it
 * @param refresh - detect again
 */
export function hostInfo(engine: StudioEngine, refresh = false): Promise<HostInfoDto> {
  if (!refresh && isHostDetected()) return detectHost();
  if (!refresh && detecting) return detecting;
  const { result } = engine.jobs.start('detect-host', 'Detect this host', async (ctx) => {
    ctx.progress(0.1, 'measuring compute and memory bandwidth, trying each execution provider');
    return detectHost(refresh);
  });
  detecting = result;
  const clear = () => {
    if (detecting === result) detecting = undefined;
  };
  result.then(clear, clear);
  return result;
}

const stores = new WeakMap<StudioEngine, ProfileStore>();

/** @returns the profile store of an engine (user profiles in its data folder). */
export function profileStore(engine: StudioEngine): ProfileStore {
  let s = stores.get(engine);
  if (!s) {
    s = new ProfileStore(engine.settings.dataDir);
    stores.set(engine, s);
  }
  return s;
}

/** The handlers of the targets feature; also plugs profiles into the runtime's session options. */
export function targetsHandlers(engine: StudioEngine): FeatureHandlers {
  const store = profileStore(engine);
  installTargetSessionResolver(store);
  return {
    listTargets: () => store.list(),
    getHostInfo: (req) => hostInfo(engine, Boolean(req.refresh)),
    checkTarget: async (req) => {
      const { profile } = await store.get(req.targetId);
      const loaded = engine.loadedModel(req.modelId);
      const analysis = await analysisService(engine).analysis(req.modelId, req.dims ?? {});
      const { session } = await sessionForTarget(store, req.targetId, await hostInfo(engine));
      return checkModel(loaded, analysis, profile, session, req.modelId);
    },
    saveTargetProfile: async (req) => store.save(req.profile, Boolean(req.overwrite)),
    deleteTargetProfile: async (req) => ({ deleted: await store.delete(req.id) }),
    getTargetSession: async (req) => (await sessionForTarget(store, req.targetId, await hostInfo(engine))).session,
  };
}
