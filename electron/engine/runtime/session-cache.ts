/** Sessions cached per (model, options), least recently used released first; every release frees the native session. */
import type { BackendSession, BackendSessionOptions, InferenceBackend } from './backend';
import { optionsKey } from './session-options';

interface Entry {
  session: BackendSession;
  lastUsed: number;
}

/** What {@link SessionCache.acquire} hands out. */
export interface AcquiredSession {
  session: BackendSession;
  /** 0 when the session came from the cache */
  createMs: number;
  cached: boolean;
}

/**
 * Keeps loaded sessions so repeated runs of a model skip session creation.
 * @remarks Callers run one operation at a time (the runner queues them), so an entry is never released in use.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private clock = 0;

  /**
   * @param backend - creates the sessions
   * @param maxEntries - sessions kept at most; the least recently used is released past it
   */
  constructor(
    private readonly backend: InferenceBackend,
    private readonly maxEntries = 4,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * A session for a model and options: cached, or created now.
   * @param modelKey - identifies the model's content (path, size and mtime of the file)
   * @param modelPath - the file to load
   * @param options - resolved session options (profiling sessions are never cached: create them with `createFresh`)
   */
  async acquire(modelKey: string, modelPath: string, options: BackendSessionOptions): Promise<AcquiredSession> {
    const key = `${modelKey}|${optionsKey(options)}`;
    const hit = this.entries.get(key);
    if (hit) {
      hit.lastUsed = ++this.clock;
      return { session: hit.session, createMs: 0, cached: true };
    }
    const t0 = performance.now();
    const session = await this.backend.createSession(modelPath, options);
    const createMs = performance.now() - t0;
    this.entries.set(key, { session, lastUsed: ++this.clock });
    await this.evict();
    return { session, createMs, cached: false };
  }

  /**
   * Creates a session that is not cached (profiling, one-off copies); the caller releases it.
   * @returns the session and how long creating it took
   */
  async createFresh(modelPath: string, options: BackendSessionOptions): Promise<{ session: BackendSession; createMs: number }> {
    const t0 = performance.now();
    const session = await this.backend.createSession(modelPath, options);
    return { session, createMs: performance.now() - t0 };
  }

  /**
   * Releases sessions.
   * @param prefix - only sessions whose cache key (`<model key>|<options>`) starts with it; all when undefined
   * @returns how many were released
   */
  async release(prefix?: string): Promise<number> {
    let n = 0;
    for (const [key, e] of [...this.entries]) {
      if (prefix !== undefined && !key.startsWith(prefix)) continue;
      this.entries.delete(key);
      await e.session.release();
      n++;
    }
    return n;
  }

  private async evict(): Promise<void> {
    while (this.entries.size > this.maxEntries) {
      let oldest: [string, Entry] | undefined;
      for (const kv of this.entries) if (!oldest || kv[1].lastUsed < oldest[1].lastUsed) oldest = kv;
      if (!oldest) return;
      this.entries.delete(oldest[0]);
      await oldest[1].session.release();
    }
  }
}
