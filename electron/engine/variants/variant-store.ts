/** The variant families: each original model and the variants recipes made from it, persisted atomically. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputSpec } from '../../../shared/api/input-spec';
import type { VariantKind } from '../../../shared/api/variants-api';
import type { Recipe } from '../../../shared/recipes/recipe';
import type { TaskSetting } from '../../../shared/tasks/task-types';
import { writeFileAtomic } from '../store/atomic-write';
import { contentHash } from '../store/content-hash';

/** What is stored of a variant (the model id and figures are added when it is listed). */
export interface VariantRecord {
  id: string;
  parentId: string | null;
  name: string;
  kind: VariantKind;
  recipe: Recipe | null;
  path: string;
  sizeBytes: number;
  createdAt: string;
  reports: Record<string, unknown>;
}

interface Family {
  /** where the original was last opened from (its content, not this path, identifies the family) */
  rootPath: string;
  /** sha256 of the original's bytes; absent only for a family whose original could not be read since it was made */
  contentHash?: string;
  variants: VariantRecord[];
  /** the input spec every variant of the family runs with (sizes and values for inputs given no data) */
  inputSpec?: InputSpec;
  /** the task the family is shown as in the demo and `run --task auto` (set by the user; else guessed each time) */
  task?: TaskSetting;
}

interface IndexFile {
  version: 1;
  families: Record<string, Family>;
}

/**
 * Persists families in `<dataDir>/variants/index.json`; variant files live beside it, one folder per family.
 * @remarks A family belongs to its original's content (sha256 of the bytes): the same model opened from another
 * path, or uploaded again after a restart, finds its variants. Families stored before keyed by path get their hash
 * when the store opens (while the original is still where it was).
 */
export class VariantStore {
  readonly root: string;
  private readonly indexFile: string;
  private index: IndexFile;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'variants');
    this.indexFile = path.join(this.root, 'index.json');
    sweepStaleTemps(this.root);
    this.index = this.read();
    this.migratePathKeyed();
  }

  /** @returns the family key of an original model: its content hash's first 16 hex digits (its path's when unreadable). */
  static familyKey(modelPath: string): string {
    const hash = contentHash(modelPath);
    return (hash ?? crypto.createHash('sha256').update(path.resolve(modelPath)).digest('hex')).slice(0, 16);
  }

  /**
   * The family a file belongs to: the one holding it as a variant, else the one whose original has the same bytes
   * (wherever it was opened from before: the family's original moves to this path).
   * @returns the key and family, creating a new family for an unknown original
   */
  familyOf(modelPath: string): { key: string; family: Family } {
    const abs = path.resolve(modelPath);
    const entries = Object.entries(this.index.families);
    for (const [key, family] of entries) {
      if (family.variants.some((v) => v.kind !== 'original' && v.path === abs)) return { key, family };
    }
    const hash = contentHash(abs);
    const same = hash ? entries.find(([, f]) => f.contentHash === hash) : entries.find(([, f]) => f.rootPath === abs);
    if (same) {
      this.moveOriginal(same[1], abs);
      return { key: same[0], family: same[1] };
    }
    let key = VariantStore.familyKey(abs);
    // a family of other bytes once stored at this key (a model overwritten in place) keeps its folder
    while (this.index.families[key]) key = crypto.randomBytes(8).toString('hex');
    const family: Family = {
      rootPath: abs,
      ...(hash ? { contentHash: hash } : {}),
      variants: [
        { id: `orig-${key}`, parentId: null, name: 'original', kind: 'original', recipe: null, path: abs, sizeBytes: fileSize(abs), createdAt: new Date().toISOString(), reports: {} },
      ],
    };
    this.index.families[key] = family;
    this.write();
    return { key, family };
  }

  /** @returns the folder where a family's variant files go. */
  familyDir(key: string): string {
    const dir = path.join(this.root, key);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** @returns a fresh variant id. */
  newId(): string {
    return `var-${crypto.randomBytes(6).toString('hex')}`;
  }

  /** Adds a variant to a family and persists. */
  add(key: string, record: VariantRecord): void {
    const family = this.index.families[key];
    family.variants.push(record);
    this.write();
  }

  /** @returns the record and its family key, or undefined. */
  find(variantId: string): { key: string; family: Family; record: VariantRecord } | undefined {
    for (const [key, family] of Object.entries(this.index.families)) {
      const record = family.variants.find((v) => v.id === variantId);
      if (record) return { key, family, record };
    }
    return undefined;
  }

  /** Renames a variant and persists. */
  rename(variantId: string, name: string): VariantRecord | undefined {
    const hit = this.find(variantId);
    if (!hit) return undefined;
    hit.record.name = name;
    this.write();
    return hit.record;
  }

  /**
   * Removes a derived variant; deletes its file only when it lies in the studio's variants folder.
   * @returns false for the original or an unknown id
   */
  remove(variantId: string): boolean {
    const hit = this.find(variantId);
    if (!hit || hit.record.kind === 'original') return false;
    hit.family.variants = hit.family.variants.filter((v) => v.id !== variantId);
    for (const v of hit.family.variants) if (v.parentId === variantId) v.parentId = hit.record.parentId;
    this.write();
    const rel = path.relative(this.root, hit.record.path);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      fs.rmSync(hit.record.path, { force: true });
      fs.rmSync(`${hit.record.path}.data`, { force: true });
    }
    return true;
  }

  /** @returns the input spec of the family a model belongs to, when one was set. */
  inputSpecOf(modelPath: string): InputSpec | undefined {
    return this.familyOf(modelPath).family.inputSpec;
  }

  /** Sets (or with `undefined` clears) the input spec of a model's family and persists. */
  setInputSpec(modelPath: string, spec: InputSpec | undefined): void {
    const { family } = this.familyOf(modelPath);
    if (spec && (Object.keys(spec.inputs).length || Object.keys(spec.dims).length)) family.inputSpec = spec;
    else delete family.inputSpec;
    this.write();
  }

  /** Points a family's original at the path it was just opened from (its bytes are the same). */
  private moveOriginal(family: Family, abs: string): void {
    if (family.rootPath === abs) return;
    family.rootPath = abs;
    const original = family.variants.find((v) => v.kind === 'original');
    if (original) original.path = abs;
    this.write();
  }

  /** Gives path-keyed families (stored before content keying) the hash of their original, when it is still there. */
  private migratePathKeyed(): void {
    let changed = false;
    for (const family of Object.values(this.index.families)) {
      if (family.contentHash) continue;
      const hash = contentHash(family.rootPath);
      if (!hash) continue;
      family.contentHash = hash;
      changed = true;
    }
    if (changed) this.write();
  }

  /** @returns the task set for the family a model belongs to, when one was set. */
  taskOf(modelPath: string): TaskSetting | undefined {
    return this.familyOf(modelPath).family.task;
  }

  /** Sets (or with `undefined` clears) the task of a model's family and persists. */
  setTask(modelPath: string, task: TaskSetting | undefined): void {
    const { family } = this.familyOf(modelPath);
    if (task) family.task = task;
    else delete family.task;
    this.write();
  }

  /** Drops variants whose files have disappeared. */
  prune(key: string): void {
    const family = this.index.families[key];
    const before = family.variants.length;
    family.variants = family.variants.filter((v) => v.kind === 'original' || fs.existsSync(v.path));
    if (family.variants.length !== before) this.write();
  }

  private read(): IndexFile {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.indexFile, 'utf8')) as IndexFile;
      if (parsed.version === 1 && parsed.families && typeof parsed.families === 'object') return parsed;
    } catch {
      // first run, or a damaged index: start empty (variant files stay on disk)
    }
    return { version: 1, families: {} };
  }

  private write(): void {
    writeFileAtomic(this.indexFile, JSON.stringify(this.index, null, 1));
  }
}

/** saveModel's temp names carry the writer's pid: `.<name>.<pid>-<hex>.tmp`; writeFileAtomic's carry none. */
const SAVE_TEMP = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;
const INDEX_TEMP = /^\.index\.json\.[0-9a-f]{12}\.tmp$/;
/** index temps younger than this before the process started may belong to another engine mid-write */
const INDEX_TEMP_AGE_MS = 60_000;

/**
 * Removes temp files a killed engine left in the variants folder (a kill between write and rename): save temps whose
 * writer process is gone, and index temps older than this process.
 */
export function sweepStaleTemps(root: string): string[] {
  const removed: string[] = [];
  const started = Date.now() - process.uptime() * 1000;
  const sweep = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth === 0) sweep(p, 1);
      if (!e.isFile()) continue;
      const save = SAVE_TEMP.exec(e.name);
      const stale = save ? !processAlive(Number(save[1])) : INDEX_TEMP.test(e.name) && mtimeMs(p) < started - INDEX_TEMP_AGE_MS;
      if (stale) {
        fs.rmSync(p, { force: true });
        removed.push(p);
      }
    }
  };
  sweep(root, 0);
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function mtimeMs(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}
