/** The targets feature: profiles, host detection, the compatibility check with estimates, profile editing. */
import { analysisService } from '../analysis/analysis-service';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { checkModel } from './check-model';
import { sessionForTarget } from './session-profile';
import { hostInfo, profileStore } from './target-services';

/** The handlers of the targets feature; also plugs profiles into the runtime's session options. */
export function targetsHandlers(engine: StudioEngine): FeatureHandlers {
  const store = profileStore(engine);
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
