/** Registers every feature module's handlers on the engine (one line per feature). */
import { StudioEngine, type EngineOptions } from './studio-engine';
import { optimizeHandlers } from './optimize/optimize-handlers';
import { variantHandlers } from './variants/variant-handlers';

/** Adds every feature's handlers to an engine. */
export function registerFeatures(engine: StudioEngine): void {
  engine.register(variantHandlers(engine));
  engine.register(optimizeHandlers(engine));
}

/**
 * Creates an engine with every feature registered (the engine host and CLI use this).
 * @param options - data folder, sample path, version, job event sink
 */
export function createEngine(options: EngineOptions): StudioEngine {
  const engine = new StudioEngine(options);
  registerFeatures(engine);
  return engine;
}
