/** File work behind saveModel: streaming tensors into a side file and committing temporary files atomically. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { ExternalRef } from './external-data';
import type { TensorProto } from './proto';

/** One tensor's bytes going to the side file: from memory or streamed from its current external file. */
export interface SideWrite {
  tensor: TensorProto;
  offset: number;
  length: number;
  bytes?: Uint8Array;
  source?: ExternalRef;
}

/** Bytes copied per read/write; the most a save holds in memory beyond the model itself. */
const CHUNK = 8 * 2 ** 20;
const ZERO = Buffer.alloc(CHUNK);

/**
 * Writes tensors at their offsets; all-zero chunks and alignment gaps are left as holes (read back as zeros).
 * @param file - the open side file
 * @param writes - the tensors, in offset order
 * @param total - the sum of their lengths, for progress
 */
export async function writeSideFile(
  file: fs.promises.FileHandle,
  writes: readonly SideWrite[],
  total: number,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<void> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  const sources = new Map<string, fs.promises.FileHandle>();
  let done = 0;
  let end = 0;
  try {
    for (const w of writes) {
      for (let at = 0; at < w.length; at += CHUNK) {
        checkAbort(signal);
        const n = Math.min(CHUNK, w.length - at);
        let data: Uint8Array;
        if (w.bytes) {
          data = w.bytes.subarray(at, at + n);
        } else {
          const src = w.source as ExternalRef;
          let handle = sources.get(src.file);
          if (!handle) {
            handle = await fs.promises.open(src.file, 'r');
            sources.set(src.file, handle);
          }
          await readFully(handle, chunk, n, src.offset + at, src.location);
          data = chunk.subarray(0, n);
        }
        await writeRange(file, data, w.offset + at);
        done += n;
        onProgress?.(total > 0 ? done / total : 1);
      }
      end = Math.max(end, w.offset + w.length);
    }
    await file.truncate(end);
  } finally {
    for (const h of sources.values()) await h.close();
  }
}

/**
 * Writes a model file (and its side file) under temporary names in the target folder, fsyncs, then renames them into
 * place. On failure every temporary file is removed.
 * @param job - the target, the encoded model, and the side file writer
 */
export async function commitFiles(job: {
  target: string;
  modelBytes: Uint8Array;
  side?: { path: string; write: (file: fs.promises.FileHandle) => Promise<void> };
  signal?: AbortSignal;
}): Promise<void> {
  const temps: string[] = [];
  let createdDir: string | undefined;
  let sideCommitted: string | undefined;
  try {
    let sideTemp: string | undefined;
    if (job.side) {
      createdDir = await fs.promises.mkdir(path.dirname(job.side.path), { recursive: true });
      sideTemp = tempName(job.side.path);
      temps.push(sideTemp);
      await writeSynced(sideTemp, job.side.write);
    }
    const modelTemp = tempName(job.target);
    temps.push(modelTemp);
    await writeSynced(modelTemp, (file) => writeRange(file, job.modelBytes, 0, false));
    checkAbort(job.signal);
    if (job.side && sideTemp) {
      const existed = fs.existsSync(job.side.path);
      await fs.promises.rename(sideTemp, job.side.path);
      if (!existed) sideCommitted = job.side.path;
    }
    await fs.promises.rename(modelTemp, job.target);
    temps.length = 0;
    await syncDir(path.dirname(job.target));
    if (job.side) await syncDir(path.dirname(job.side.path));
  } catch (err) {
    for (const t of temps) await fs.promises.rm(t, { force: true });
    if (sideCommitted) await fs.promises.rm(sideCommitted, { force: true });
    if (createdDir) await fs.promises.rm(createdDir, { recursive: true, force: true });
    throw asStudioError(err, job.target);
  }
}

async function writeSynced(file: string, write: (handle: fs.promises.FileHandle) => Promise<void>): Promise<void> {
  const handle = await fs.promises.open(file, 'wx');
  try {
    await write(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeRange(file: fs.promises.FileHandle, data: Uint8Array, position: number, skipZeros = true): Promise<void> {
  if (skipZeros && data.length <= CHUNK && Buffer.from(data.buffer, data.byteOffset, data.length).equals(ZERO.subarray(0, data.length))) {
    return;
  }
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await file.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

async function readFully(file: fs.promises.FileHandle, into: Buffer, length: number, position: number, location: string): Promise<void> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file.read(into, got, length - got, position + got);
    if (bytesRead === 0) {
      throw new StudioError('EXTERNAL_DATA_OUT_OF_RANGE', `External data file "${location}" ended early while it was being copied.`);
    }
    got += bytesRead;
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Folders cannot be opened or synced on every platform (Windows); the renames are still atomic.
  }
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Saving the model was cancelled; nothing was written.');
}

function asStudioError(err: unknown, target: string): StudioError {
  if (err instanceof StudioError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const detail = err instanceof Error ? err.message : String(err);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StudioError('ACCESS_DENIED', `Cannot write ${target} (${code}): choose a folder you can write to.`, { cause: err });
  }
  if (code === 'ENOSPC') {
    return new StudioError('INTERNAL', `Not enough disk space to save ${target}: free some space or save elsewhere.`, { cause: err });
  }
  return new StudioError('INTERNAL', `Saving ${target} failed: ${detail}`, { cause: err });
}
