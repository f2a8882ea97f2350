/** The analysis feature: `getAnalysis` (static inference, and one onnxruntime run as a job when shapes stay unknown). */
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { analysisService } from './analysis-service';

/** The handlers of the analysis feature. */
export function analysisHandlers(engine: StudioEngine): FeatureHandlers {
  const service = analysisService(engine);
  return {
    getAnalysis: async (req) => {
      const dims = req.dims ?? {};
      const dto = req.runtimeFallback === false ? service.staticAnalysis(req.modelId, dims) : await service.analysis(req.modelId, dims, req.jobId);
      return { modelId: req.modelId, ...dto };
    },
  };
}
