/** The runtime of an engine: one RuntimeService per engine, created on first use, released model by model. */
import type { StudioEngine } from '../studio-engine';
import { RuntimeService } from './runtime-service';

const services = new WeakMap<StudioEngine, RuntimeService>();

/**
 * The runtime of an engine (created on first use); passes and evaluation run models through it.
 * @param engine - the engine
 */
export function runtimeFor(engine: StudioEngine): RuntimeService {
  let service = services.get(engine);
  if (!service) {
    const created = new RuntimeService();
    service = created;
    services.set(engine, created);
    engine.onModelClosed((loaded) => void created.release(loaded));
    engine.onDispose(() => created.dispose());
  }
  return service;
}
