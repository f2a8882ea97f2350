/** Copies the model into a package: the file as is, or re-saved with one external data file when it has external data. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { LoadedModel } from '../onnx/load';
import { saveModel } from '../onnx/save';

/** What the copy wrote, relative to the package folder. */
export interface CopiedModel {
  files: Array<{ path: string; bytes: number }>;
}

const CHUNK = 4 * 1024 * 1024;

/**
 * Streams a file to a new path with progress and cancellation.
 * @param onProgress - receives the fraction copied
 */
export async function copyFileWithProgress(src: string, dest: string, signal?: AbortSignal, onProgress?: (fraction: number) => void): Promise<number> {
  const size = fs.statSync(src).size;
  const input = fs.openSync(src, 'r');
  const output = fs.openSync(dest, 'wx');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, size)));
  let done = 0;
  try {
    while (done < size) {
      if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Packaging was cancelled.');
      const n = fs.readSync(input, buf, 0, Math.min(buf.length, size - done), done);
      if (n === 0) throw new StudioError('FILE_UNREADABLE', `${src} became shorter while it was copied: copy it again.`);
      fs.writeSync(output, buf, 0, n);
      done += n;
      onProgress?.(done / size);
      if (done < size) await new Promise((r) => setImmediate(r));
    }
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
  return size;
}

/**
 * Copies a loaded model into `dir` as `fileName` (plus `<fileName>.data` when its weights are external).
 * @param model - the loaded model; its file is only read
 * @param dir - the package's staging folder (or a folder inside it)
 * @param relDir - `dir` relative to the package root, for the file list
 */
export async function copyModel(
  model: LoadedModel,
  dir: string,
  fileName: string,
  relDir: string,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<CopiedModel> {
  fs.mkdirSync(dir, { recursive: true });
  const rel = (name: string) => (relDir ? `${relDir}/${name}` : name);
  if (model.external.size === 0) {
    const bytes = await copyFileWithProgress(model.path, path.join(dir, fileName), signal, onProgress);
    return { files: [{ path: rel(fileName), bytes }] };
  }
  const saved = await saveModel(model.proto, path.join(dir, fileName), {
    externalData: { location: `${fileName}.data` },
    sourceExternal: model.external,
    signal,
    onProgress,
  });
  const files = [{ path: rel(fileName), bytes: saved.modelBytes }];
  if (saved.externalPath) files.push({ path: rel(path.basename(saved.externalPath)), bytes: saved.externalBytes });
  return { files };
}

/** @returns the bytes the copy will take (the model file plus its external data). */
export function modelBytes(model: LoadedModel): number {
  return model.fileSizeBytes + model.externalDataBytes;
}
