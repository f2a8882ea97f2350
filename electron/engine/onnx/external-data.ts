/** External data: tensors whose bytes live in side files next to the model, confined to the model's folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { DataLocation, type TensorProto } from './proto';

export interface ExternalRef {
  /** the location as written in the model */
  location: string;
  /** resolved absolute path, inside the model's folder */
  file: string;
  offset: number;
  /** byte length; when the model omits it, the rest of the file */
  length: number;
}

/** @returns true when the tensor keeps its bytes in an external file. */
export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === DataLocation.EXTERNAL;
}

function entry(tensor: TensorProto, key: string): string | undefined {
  return tensor.externalData.find((e) => e.key === key)?.value;
}

/**
 * Resolves and checks a tensor's external data reference without reading it.
 * @param tensor - a tensor with `data_location = EXTERNAL`
 * @param modelDir - the folder of the model file; the location must stay inside it (symlinks included)
 * @returns the resolved reference
 * @throws StudioError `EXTERNAL_DATA_OUTSIDE_MODEL_DIR`, `EXTERNAL_DATA_MISSING` or `EXTERNAL_DATA_OUT_OF_RANGE`
 */
export function resolveExternal(tensor: TensorProto, modelDir: string, statCache = new Map<string, number>()): ExternalRef {
  const location = entry(tensor, 'location');
  const name = tensor.name || '(unnamed tensor)';
  if (!location) {
    throw new StudioError('INVALID_MODEL', `Tensor "${name}" is marked external but names no location.`);
  }
  if (path.isAbsolute(location) || path.win32.isAbsolute(location) || location.includes('\0')) {
    throw outside(name, location);
  }
  const root = realDir(modelDir);
  const file = path.resolve(root, location);
  if (!isInside(root, file)) throw outside(name, location);
  let size = statCache.get(file);
  if (size === undefined) {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      throw new StudioError(
        'EXTERNAL_DATA_MISSING',
        `External data file "${location}" of tensor "${name}" is missing: put it next to the model in ${modelDir}.`,
      );
    }
    if (!isInside(root, real)) throw outside(name, location);
    const st = fs.statSync(real);
    if (!st.isFile()) {
      throw new StudioError('EXTERNAL_DATA_MISSING', `External data "${location}" of tensor "${name}" is not a file.`);
    }
    size = st.size;
    statCache.set(file, size);
  }
  const offset = parseNonNegative(entry(tensor, 'offset') ?? '0', name, 'offset');
  const lengthText = entry(tensor, 'length');
  const length = lengthText === undefined ? size - offset : parseNonNegative(lengthText, name, 'length');
  if (offset + length > size || offset > size) {
    throw new StudioError(
      'EXTERNAL_DATA_OUT_OF_RANGE',
      `External data of tensor "${name}" reaches byte ${offset + length} of "${location}", which has only ${size} bytes: the file is truncated or belongs to another model.`,
    );
  }
  return { location, file, offset, length };
}

/**
 * Reads a tensor's external bytes.
 * @returns a fresh buffer holding exactly the referenced range
 */
export function readExternal(ref: ExternalRef): Uint8Array {
  const out = Buffer.allocUnsafe(ref.length);
  const fd = fs.openSync(ref.file, 'r');
  try {
    let done = 0;
    while (done < ref.length) {
      const n = fs.readSync(fd, out, done, ref.length - done, ref.offset + done);
      if (n === 0) break;
      done += n;
    }
    if (done !== ref.length) {
      throw new StudioError('EXTERNAL_DATA_OUT_OF_RANGE', `External data "${ref.location}" ended early.`);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/**
 * Checks that byte ranges within each external file do not overlap (overlaps signal a crafted file).
 * @throws StudioError `EXTERNAL_DATA_OUT_OF_RANGE` naming the two tensors
 */
export function checkOverlaps(refs: Array<{ name: string; ref: ExternalRef }>): void {
  const byFile = new Map<string, Array<{ name: string; ref: ExternalRef }>>();
  for (const r of refs) {
    const list = byFile.get(r.ref.file) ?? [];
    list.push(r);
    byFile.set(r.ref.file, list);
  }
  for (const list of byFile.values()) {
    list.sort((a, b) => a.ref.offset - b.ref.offset);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const cur = list[i];
      if (cur.ref.length > 0 && prev.ref.offset + prev.ref.length > cur.ref.offset) {
        throw new StudioError(
          'EXTERNAL_DATA_OUT_OF_RANGE',
          `External data of tensors "${prev.name}" and "${cur.name}" overlap in "${cur.ref.location}": the file is corrupt or crafted.`,
        );
      }
    }
  }
}

function outside(name: string, location: string): StudioError {
  return new StudioError(
    'EXTERNAL_DATA_OUTSIDE_MODEL_DIR',
    `Tensor "${name}" points to external data "${location}" outside the model's folder; refused. Keep external data files beside the model.`,
  );
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function parseNonNegative(text: string, name: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new StudioError('EXTERNAL_DATA_OUT_OF_RANGE', `External data ${what} "${text}" of tensor "${name}" is not a valid byte count.`);
  }
  return n;
}
