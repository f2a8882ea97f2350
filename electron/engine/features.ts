/** Registers every feature module's handlers on the engine (one line per feature). */
import type { StudioEngine } from './studio-engine';

/** Called once by the engine's constructor. */
export function registerFeatures(engine: StudioEngine): void {
  void engine;
}
