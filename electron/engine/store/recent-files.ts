/** The list of recently opened models, persisted atomically in the app's data folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecentFile } from '../../../shared/api/methods';
import { writeFileAtomicAsync } from './atomic-write';

const MAX_RECENT = 12;

/**
 * Recent files kept in `<dataDir>/recent.json`. Writes go to disk in the background, in order (opening a model does
 * not wait on a disk flush); until the last one is done, the list is answered from memory.
 */
export class RecentFiles {
  private readonly file: string;
  /** the newest list not yet on disk */
  private unsaved: RecentFile[] | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'recent.json');
  }

  /** @returns recent files, newest first; a damaged file reads as empty. */
  list(): RecentFile[] {
    if (this.unsaved) return [...this.unsaved];
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (r): r is RecentFile => typeof r?.path === 'string' && typeof r?.fileName === 'string' && typeof r?.openedAt === 'string',
      );
    } catch {
      return [];
    }
  }

  /** Puts a path at the top of the list. */
  add(filePath: string): void {
    const entry: RecentFile = { path: filePath, fileName: path.basename(filePath), openedAt: new Date().toISOString() };
    const next = [entry, ...this.list().filter((r) => r.path !== filePath)].slice(0, MAX_RECENT);
    this.write(next);
  }

  /** @returns how many entries were removed. */
  clear(): number {
    const n = this.list().length;
    this.write([]);
    return n;
  }

  /** Resolves when every change so far is on disk (or failed to be written). */
  flushed(): Promise<void> {
    return this.saving;
  }

  private write(list: RecentFile[]): void {
    this.unsaved = list;
    this.saving = this.saving
      .then(() => writeFileAtomicAsync(this.file, JSON.stringify(list, null, 2)))
      // a read-only data folder must not stop a model from opening
      .catch(() => undefined)
      .then(() => {
        if (this.unsaved === list) this.unsaved = null;
      });
  }
}
