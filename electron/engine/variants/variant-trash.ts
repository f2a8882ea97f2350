/** Soft delete of variants: a deleted variant leaves the list at once but its file waits in a trash folder for an undo. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { StudioEngine } from '../studio-engine';
import { variantStore } from './variant-family';
import type { VariantRecord, VariantStore } from './variant-store';

/** Trashed files older than this (a session that ended without emptying its trash) go when a trash opens. */
const STALE_TRASH_MS = 24 * 3600 * 1000;

interface Trashed {
  key: string;
  record: VariantRecord;
  /** where the files wait: [from, to] pairs (empty for a variant whose file lies outside the variants folder) */
  moves: Array<[string, string]>;
  /** variants that had this one as their parent */
  childIds: string[];
}

/**
 * Holds the variants deleted in this session. `remove` takes a variant out of its family and moves its files aside;
 * `restore` puts both back; `empty` deletes the files for good (when the session ends).
 */
export class VariantTrash {
  private readonly dir: string;
  private readonly trashed = new Map<string, Trashed>();

  constructor(private readonly store: VariantStore) {
    this.dir = path.join(store.root, '.trash');
    sweepOldTrash(this.dir);
  }

  /**
   * Deletes a derived variant softly.
   * @returns false for the original or an unknown id
   */
  remove(variantId: string): boolean {
    const hit = this.store.find(variantId);
    if (!hit || hit.record.kind === 'original') return false;
    const record: VariantRecord = { ...hit.record };
    const childIds = hit.family.variants.filter((v) => v.parentId === variantId).map((v) => v.id);
    const moves: Array<[string, string]> = [];
    if (insideFolder(this.store.root, record.path)) {
      fs.mkdirSync(this.dir, { recursive: true });
      for (const from of [record.path, `${record.path}.data`]) {
        if (!fs.existsSync(from)) continue;
        const to = path.join(this.dir, `${variantId}-${path.basename(from)}`);
        fs.renameSync(from, to);
        const now = new Date();
        fs.utimesSync(to, now, now);
        moves.push([from, to]);
      }
    }
    this.store.remove(variantId);
    this.trashed.set(variantId, { key: hit.key, record, moves, childIds });
    return true;
  }

  /**
   * Undoes a deletion of this session: the files go back and the variant rejoins its family.
   * @throws StudioError `UNKNOWN_MODEL` when the variant was not deleted in this session (or its trash was emptied)
   */
  restore(variantId: string): VariantRecord {
    const t = this.trashed.get(variantId);
    if (!t) throw new StudioError('UNKNOWN_MODEL', `The variant "${variantId}" was not deleted in this session, so it cannot be restored. Refresh the variant list.`);
    for (const [from, to] of t.moves) fs.renameSync(to, from);
    for (const childId of t.childIds) {
      const child = this.store.find(childId);
      if (child && child.key === t.key) child.record.parentId = variantId;
    }
    this.store.add(t.key, t.record);
    this.trashed.delete(variantId);
    return t.record;
  }

  /** Deletes every trashed file for good. */
  empty(): void {
    for (const t of this.trashed.values()) for (const [, to] of t.moves) fs.rmSync(to, { force: true });
    this.trashed.clear();
  }

  /** @returns the ids deleted in this session and still restorable. */
  ids(): string[] {
    return [...this.trashed.keys()];
  }
}

function insideFolder(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function sweepOldTrash(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const cutoff = Date.now() - STALE_TRASH_MS;
  for (const name of names) {
    const p = path.join(dir, name);
    try {
      if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}

const trashes = new WeakMap<StudioEngine, VariantTrash>();

/** @returns the engine's trash (one per engine; emptied when the engine is disposed). */
export function variantTrash(engine: StudioEngine): VariantTrash {
  let trash = trashes.get(engine);
  if (!trash) {
    const created = new VariantTrash(variantStore(engine));
    engine.onDispose(() => created.empty());
    trashes.set(engine, created);
    trash = created;
  }
  return trash;
}
