/** API handlers of pruning: the preview (a dry run, as a job); running the passes goes through `runPasses` like any pass. */
import * as path from 'node:path';
import type { FeatureHandlers, StudioEngine } from '../../studio-engine';
import { profileStore } from '../../targets/target-services';
import { previewPruning } from './preview';

/** @returns the handlers this module adds to the engine. */
export function pruneHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    previewPruning: async (req) => {
      const model = engine.loadedModel(req.modelId);
      const { result } = engine.jobs.start(
        'prune-preview',
        `Preview ${req.pass === 'prune-channels' ? 'channel' : 'magnitude'} pruning of ${path.basename(model.path)}`,
        (job) =>
          previewPruning(model, req.pass, req.options ?? {}, { profiles: profileStore(engine), targetId: req.targetId }, async (fraction, stage) => {
            job.progress(fraction, stage);
            await new Promise((resolve) => setImmediate(resolve));
            job.throwIfCancelled();
          }),
        req.jobId,
      );
      return result;
    },
  };
}
