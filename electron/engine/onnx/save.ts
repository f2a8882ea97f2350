/** Saves a model atomically, optionally moving large tensors to an external data file (streamed, > 2 GB capable). */
import { clearField, create, isFieldSet } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { formatBytes } from '../../../shared/format/bytes';
import { encodeModel, PROTOBUF_LIMIT_BYTES } from './codec';
import { isExternal, readExternal, type ExternalRef } from './external-data';
import { DataLocation, StringStringEntryProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto } from './proto';
import { commitFiles, writeSideFile, type SideWrite } from './save-io';
import { forEachTensor } from './walk';

/** Where and how tensors go to an external data file. */
export interface ExternalDataOptions {
  /** the side file, relative to the model's folder (e.g. `model.onnx.data`) */
  location: string;
  /** tensors with at least this many bytes go to the side file; default 1024 (ONNX's default) */
  sizeThreshold?: number;
  /** offsets of tensors in the side file are multiples of this; default 64 (use 65536 for mmap on Windows) */
  align?: number;
}

export interface SaveOptions {
  externalData?: ExternalDataOptions;
  /** where the external tensors of the model currently live (`LoadedModel.external`) */
  sourceExternal?: ReadonlyMap<TensorProto, ExternalRef>;
  /** files never to overwrite (the input model and its data files) */
  protect?: readonly string[];
  signal?: AbortSignal;
  /** called with the fraction of tensor bytes written */
  onProgress?: (fraction: number) => void;
}

export interface SaveResult {
  path: string;
  modelBytes: number;
  /** the side file, when tensors were written to one */
  externalPath?: string;
  externalBytes: number;
  externalTensors: number;
}

const DEFAULT_THRESHOLD = 1024;
const DEFAULT_ALIGN = 64;

/**
 * Writes a model to a file, atomically: temporary files in the target folder, fsync, rename; on any error the
 * temporary files are removed and existing files are untouched.
 * @param proto - the model; it is left exactly as it was (tensor fields are swapped only while encoding)
 * @param outPath - the `.onnx` file to write
 * @param options - external data layout, the source of already-external tensors, protected paths, cancellation
 * @returns what was written
 * @throws StudioError `ACCESS_DENIED` for a protected path, `EXTERNAL_DATA_OUTSIDE_MODEL_DIR` for a side file outside
 * the model's folder, `MODEL_TOO_LARGE` past protobuf's 2 GB without external data, `INVALID_REQUEST` for an external
 * tensor whose source is unknown, `JOB_CANCELLED` when the signal aborts
 */
export async function saveModel(proto: ModelProto, outPath: string, options: SaveOptions = {}): Promise<SaveResult> {
  const target = path.resolve(outPath);
  const dir = path.dirname(target);
  checkFolder(dir, target);
  const ext = options.externalData;
  const sidePath = ext ? sideFilePath(dir, target, ext.location) : undefined;
  for (const p of [target, sidePath]) if (p && isProtected(p, options.protect ?? [])) throw protectedError(p);

  const plan = planTensors(proto, options, ext);
  const { writes, inline } = plan;
  const encoded = encodeWithLayout(proto, writes, inline, ext?.location ?? '');
  const total = writes.reduce((sum, w) => sum + w.length, 0);
  await commitFiles({
    target,
    modelBytes: encoded,
    side:
      sidePath && writes.length > 0
        ? { path: sidePath, write: (fd) => writeSideFile(fd, writes, total, options.signal, options.onProgress) }
        : undefined,
    signal: options.signal,
  });
  return {
    path: target,
    modelBytes: encoded.length,
    ...(sidePath && writes.length > 0 ? { externalPath: sidePath } : {}),
    externalBytes: total,
    externalTensors: writes.length,
  };
}

interface Plan {
  /** tensors going to the side file, with their new offsets */
  writes: SideWrite[];
  /** external source tensors whose bytes go back into the model */
  inline: Array<{ tensor: TensorProto; ref: ExternalRef }>;
}

function planTensors(proto: ModelProto, options: SaveOptions, ext: ExternalDataOptions | undefined): Plan {
  const threshold = ext?.sizeThreshold ?? DEFAULT_THRESHOLD;
  const align = Math.max(1, Math.floor(ext?.align ?? DEFAULT_ALIGN));
  const seen = new Set<TensorProto>();
  const writes: SideWrite[] = [];
  const inline: Plan['inline'] = [];
  let cursor = 0;
  let inlineBytes = 0;
  forEachTensor(proto, (tensor) => {
    if (seen.has(tensor)) return;
    seen.add(tensor);
    const ref = isExternal(tensor) ? options.sourceExternal?.get(tensor) : undefined;
    if (isExternal(tensor) && !ref) {
      throw new StudioError(
        'INVALID_REQUEST',
        `Tensor "${tensor.name}" keeps its data in an external file this save does not know; pass the loaded model's external references.`,
      );
    }
    const length = ref ? ref.length : tensor.rawData.length;
    if (ext && length >= threshold && (ref || length > 0)) {
      const offset = Math.ceil(cursor / align) * align;
      writes.push({ tensor, offset, length, ...(ref ? { source: ref } : { bytes: tensor.rawData }) });
      cursor = offset + length;
    } else {
      if (ref) inline.push({ tensor, ref });
      inlineBytes += length;
    }
  });
  if (inlineBytes > PROTOBUF_LIMIT_BYTES) {
    throw new StudioError(
      'MODEL_TOO_LARGE',
      `The model's weights take ${formatBytes(inlineBytes)}, past protobuf's 2 GiB limit for one file: ` +
        (ext ? 'lower the external data size threshold.' : 'save it with external data.'),
    );
  }
  return { writes, inline };
}

/** The TensorProto fields a save swaps while encoding; proto2 presence matters, so they are cleared, not zeroed. */
const SWAPPED = [TensorProtoSchema.field.rawData, TensorProtoSchema.field.dataLocation, TensorProtoSchema.field.externalData];

/** Encodes the model with the planned tensors pointing into the side file; restores the caller's tensors after. */
function encodeWithLayout(proto: ModelProto, writes: SideWrite[], inline: Plan['inline'], location: string): Uint8Array {
  const saved: Array<{ tensor: TensorProto; fields: Array<{ set: boolean; value: unknown }> }> = [];
  const snapshot = (tensor: TensorProto) => {
    saved.push({ tensor, fields: SWAPPED.map((f) => ({ set: isFieldSet(tensor, f), value: tensor[f.localName as keyof TensorProto] })) });
    for (const f of SWAPPED) clearField(tensor, f);
  };
  try {
    for (const w of writes) {
      const entries = [
        ['location', location],
        ['offset', String(w.offset)],
        ['length', String(w.length)],
      ].map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }));
      const checksum = w.tensor.externalData.find((e) => e.key === 'checksum');
      if (checksum) entries.push(checksum);
      snapshot(w.tensor);
      w.tensor.dataLocation = DataLocation.EXTERNAL;
      w.tensor.externalData = entries;
    }
    for (const { tensor, ref } of inline) {
      snapshot(tensor);
      tensor.rawData = readExternal(ref);
    }
    return encodeModel(proto);
  } finally {
    for (const { tensor, fields } of saved.reverse()) {
      SWAPPED.forEach((f, i) => {
        if (fields[i].set) Object.assign(tensor, { [f.localName]: fields[i].value });
        else clearField(tensor, f);
      });
    }
  }
}

function checkFolder(dir: string, target: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `The folder ${dir} does not exist. Create it or choose another place to save.`);
  }
  if (!st.isDirectory()) throw new StudioError('FILE_NOT_FOUND', `${dir} is not a folder. Choose another place to save.`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw new StudioError('INVALID_REQUEST', `${target} is a folder; give a file name for the model.`);
  }
}

function sideFilePath(dir: string, target: string, location: string): string {
  const refused = () =>
    new StudioError(
      'EXTERNAL_DATA_OUTSIDE_MODEL_DIR',
      `External data location "${location}" must be a file name inside the model's folder (no "..", no absolute path).`,
    );
  if (location === '' || location.includes('\0') || path.isAbsolute(location) || path.win32.isAbsolute(location)) throw refused();
  if (location.split(/[\\/]/).some((part) => part === '..')) throw refused();
  const side = path.resolve(dir, location);
  const rel = path.relative(dir, side);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw refused();
  if (side === target) {
    throw new StudioError('INVALID_REQUEST', `The external data file cannot be the model file itself (${location}); choose another name.`);
  }
  return side;
}

function isProtected(file: string, protect: readonly string[]): boolean {
  const real = realOrResolved(file);
  const st = statOrUndefined(file);
  return protect.some((p) => {
    if (realOrResolved(p) === real) return true;
    const other = statOrUndefined(p);
    return st !== undefined && other !== undefined && st.dev === other.dev && st.ino === other.ino;
  });
}

function protectedError(file: string): StudioError {
  return new StudioError('ACCESS_DENIED', `Refusing to overwrite ${file}: it belongs to the model being read. Save under another name.`);
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
