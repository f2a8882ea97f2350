/** The sha256 of a file's bytes, read in chunks (bounded memory), cached by path, size and modification time. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHUNK = 4 * 1024 * 1024;
const MAX_CACHED = 512;

interface Cached {
  size: number;
  mtimeMs: number;
  hash: string;
}

const cache = new Map<string, Cached>();

/**
 * Hashes a file's content.
 * @param file - the file (resolved to an absolute path)
 * @returns the lowercase hex sha256 of its bytes, or null when it cannot be read
 * @remarks A file whose path, size and mtime match a cached entry is not read again.
 */
export function contentHash(file: string): string | null {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return null;
  }
  if (!stat.isFile()) return null;
  const hit = cache.get(abs);
  if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit.hash;
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, stat.size)));
  let fd: number;
  try {
    fd = fs.openSync(abs, 'r');
  } catch {
    return null;
  }
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      hash.update(buf.subarray(0, n));
    }
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
  const hex = hash.digest('hex');
  cache.set(abs, { size: stat.size, mtimeMs: stat.mtimeMs, hash: hex });
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return hex;
}
