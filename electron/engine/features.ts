/** Registers every feature module's handlers on the engine (one line per feature). */
import type { StudioEngine } from './studio-engine';
import { optimizeHandlers } from './optimize/optimize-handlers';
import { variantHandlers } from './variants/variant-handlers';

/** Called once by the engine's constructor. */
export function registerFeatures(engine: StudioEngine): void {
  engine.register(variantHandlers(engine));
  engine.register(optimizeHandlers(engine));
}
