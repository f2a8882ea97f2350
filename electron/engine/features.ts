/** The composition root: builds every service once, in dependency order, then registers every feature's handlers. */
import { StudioEngine, type EngineOptions } from './studio-engine';
import { analysisService } from './analysis/analysis-service';
import { runtimeFor } from './runtime/engine-runtime';
import { installTargetSessionResolver } from './targets/session-profile';
import { profileStore } from './targets/target-services';
import { variantStore } from './variants/variant-family';
import { graphHandlers } from './graph/graph-handlers';
import { optimizeHandlers } from './optimize/optimize-handlers';
import { variantHandlers } from './variants/variant-handlers';
import { analysisHandlers } from './analysis/analysis-handlers';
import { targetsHandlers } from './targets/targets-handlers';
import { runtimeHandlers } from './runtime/runtime-handlers';
import { packageHandlers } from './package/package-handlers';
import { evaluateHandlers } from './evaluate/evaluate-handlers';
import { pruneHandlers } from './optimize/prune/prune-handlers';
import { exportHandlers } from './export/export-handlers';
import { quantizeHandlers } from './optimize/quantize/quantize-handlers';
import { preprocessHandlers } from './runtime/preprocess-handlers';
import { taskHandlers } from './runtime/tasks/task-handlers';

/** Adds every feature's handlers to an engine. */
export function registerFeatures(engine: StudioEngine): void {
  engine.register(graphHandlers(engine));
  engine.register(variantHandlers(engine));
  engine.register(optimizeHandlers(engine));
  engine.register(analysisHandlers(engine));
  engine.register(targetsHandlers(engine));
  engine.register(runtimeHandlers(engine));
  engine.register(packageHandlers(engine));
  engine.register(evaluateHandlers(engine));
  engine.register(pruneHandlers(engine));
  engine.register(exportHandlers(engine));
  engine.register(quantizeHandlers(engine));
  engine.register(preprocessHandlers(engine));
  engine.register(taskHandlers(engine));
}

/**
 * Builds the engine's services once, lowest layer first: the runtime (inference processes), target profiles (plugged
 * into the runtime's one settings resolver), the analysis service (which runs models through the runtime for shapes it
 * cannot infer), and the variant store. Handlers and passes receive these; they never build their own.
 */
export function buildServices(engine: StudioEngine): void {
  runtimeFor(engine);
  installTargetSessionResolver(profileStore(engine));
  analysisService(engine);
  variantStore(engine);
}

/**
 * Creates an engine with every feature registered (the engine host and CLI use this).
 * @param options - data folder, sample path, version, job event sink
 */
export function createEngine(options: EngineOptions): StudioEngine {
  const engine = new StudioEngine(options);
  buildServices(engine);
  registerFeatures(engine);
  return engine;
}
