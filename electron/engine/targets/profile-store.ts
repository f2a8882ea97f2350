/** Target profiles: the built-in ones in `assets/profiles/`, the user's in the data folder, validated, saved atomically. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { InvalidProfileDto, TargetEntryDto, TargetListDto } from '../../../shared/api/targets-api';
import { parseProfile, type DeviceClass, type TargetProfile } from '../../../shared/targets/profile-schema';
import { appRoot } from '../host/app-paths';
import { writeFileAtomic } from '../store/atomic-write';
import { hostFigures, hostProfile } from './host-detect';

/** The id of the profile whose figures come from detection. */
export const HOST_PROFILE_ID = 'host';

/** The order profiles are listed in: the host first, then from desktop to browser. */
const CLASS_ORDER: readonly DeviceClass[] = ['desktop-cpu', 'server-cpu', 'edge-arm-cpu', 'mobile-arm-cpu', 'nvidia-gpu', 'npu', 'browser'];

/** @returns the folder of the built-in profiles. */
export function builtInProfileDir(root = appRoot()): string {
  return path.join(root, 'assets', 'profiles');
}

interface ReadResult {
  entries: TargetEntryDto[];
  invalid: InvalidProfileDto[];
}

/**
 * Reads and validates every `*.json` profile in a folder.
 * @returns the valid ones and, for the others, the file and the field that is wrong
 */
export function readProfileDir(dir: string, builtIn: boolean): ReadResult {
  const out: ReadResult = { entries: [], invalid: [] };
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return out;
  }
  for (const f of files) {
    const file = path.join(dir, f);
    const r = readProfileFile(file);
    if (r.ok) out.entries.push({ profile: r.profile, builtIn, path: file, detected: r.profile.id === HOST_PROFILE_ID && builtIn });
    else out.invalid.push({ file, message: r.message });
  }
  return out;
}

/**
 * Reads one profile file.
 * @returns the profile, or a message naming the problem (bad JSON, or the field that fails validation)
 */
export function readProfileFile(file: string): { ok: true; profile: TargetProfile } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, message: `${path.basename(file)} is not valid JSON (${(err as Error).message}).` };
  }
  const r = parseProfile(json);
  return r.ok ? r : { ok: false, message: `${path.basename(file)} is refused: ${r.message}.` };
}

/** Profiles of one engine: built in plus the user's. */
export class ProfileStore {
  private builtIns: ReadResult | undefined;
  readonly userDir: string;

  /**
   * @param dataDir - the app's data folder (user profiles go to its `profiles/` folder)
   * @param builtInDir - the built-in profiles (default: `assets/profiles/` of the app)
   */
  constructor(
    dataDir: string,
    private readonly builtInDir = builtInProfileDir(),
  ) {
    this.userDir = path.join(dataDir, 'profiles');
  }

  /** @returns every valid profile (the host profile with detected figures) and the refused user files. */
  async list(): Promise<TargetListDto> {
    this.builtIns ??= readProfileDir(this.builtInDir, true);
    const user = readProfileDir(this.userDir, false);
    const taken = new Set(this.builtIns.entries.map((e) => e.profile.id));
    const invalid = [...this.builtIns.invalid, ...user.invalid];
    const userEntries = user.entries.filter((e) => {
      if (!taken.has(e.profile.id)) return true;
      invalid.push({ file: e.path, message: `${path.basename(e.path)} is ignored: its id "${e.profile.id}" is a built-in profile's. Give it another id.` });
      return false;
    });
    const host = this.builtIns.entries.some((e) => e.detected) ? await hostFigures() : undefined;
    const builtIn = this.builtIns.entries.map((e) => (e.detected && host ? { ...e, profile: hostProfile(e.profile, host) } : e));
    const rank = (e: TargetEntryDto) => (e.detected ? -1 : CLASS_ORDER.indexOf(e.profile.deviceClass));
    builtIn.sort((a, b) => rank(a) - rank(b));
    return { targets: [...builtIn, ...userEntries], invalid, userDir: this.userDir };
  }

  /**
   * One profile by id.
   * @throws StudioError `INVALID_REQUEST` naming the known ids when there is no such profile
   */
  async get(id: string): Promise<TargetEntryDto> {
    const list = await this.list();
    const hit = list.targets.find((t) => t.profile.id === id);
    if (hit) return hit;
    const bad = list.invalid.find((i) => path.basename(i.file, '.json') === id);
    if (bad) throw new StudioError('INVALID_REQUEST', `Target profile "${id}" cannot be used: ${bad.message}`);
    throw new StudioError('INVALID_REQUEST', `There is no target profile "${id}". Known profiles: ${list.targets.map((t) => t.profile.id).join(', ')}.`);
  }

  /**
   * Validates and saves a user profile as `<id>.json` in the user folder.
   * @param value - the profile (untrusted)
   * @param overwrite - replace an existing user profile of that id
   * @throws StudioError `INVALID_REQUEST` naming the bad field, a built-in id, or an existing file without `overwrite`
   */
  save(value: unknown, overwrite = false): TargetEntryDto {
    const r = parseProfile(value);
    if (!r.ok) throw new StudioError('INVALID_REQUEST', `The profile is refused: ${r.message}.`);
    const id = r.profile.id;
    this.builtIns ??= readProfileDir(this.builtInDir, true);
    if (this.builtIns.entries.some((e) => e.profile.id === id)) {
      throw new StudioError('INVALID_REQUEST', `"${id}" is a built-in profile's id. Save your copy under another id (e.g. "${id}-custom").`);
    }
    const file = path.join(this.userDir, `${id}.json`);
    if (!overwrite && fs.existsSync(file)) {
      throw new StudioError('INVALID_REQUEST', `A user profile "${id}" already exists. Choose another id or overwrite it.`);
    }
    writeFileAtomic(file, JSON.stringify(r.profile, null, 2) + '\n');
    return { profile: r.profile, builtIn: false, path: file, detected: false };
  }

  /**
   * Deletes a user profile.
   * @throws StudioError `INVALID_REQUEST` for a built-in profile
   */
  async delete(id: string): Promise<boolean> {
    const entry = await this.get(id);
    if (entry.builtIn) throw new StudioError('INVALID_REQUEST', `"${id}" is built in and cannot be deleted.`);
    fs.rmSync(entry.path, { force: true });
    return true;
  }
}
