/** Reads a target profile by id for packaging, through the targets feature's profile store (built-in and user). */
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import type { StudioEngine } from '../studio-engine';
import { profileStore } from '../targets/target-services';

/**
 * Loads a profile (the host profile with its detected figures).
 * @throws StudioError `INVALID_REQUEST` naming the known ids, or why a user profile is refused
 */
export async function loadTargetProfile(engine: StudioEngine, id: string): Promise<TargetProfile> {
  return (await profileStore(engine).get(id)).profile;
}
