/** The targets services of an engine: its profile store and this host's detection (run as a job the first time). */
import type { HostInfoDto } from '../../../shared/api/targets-api';
import type { StudioEngine } from '../studio-engine';
import { detectHost, isHostDetected } from './host-detect';
import { ProfileStore } from './profile-store';

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
