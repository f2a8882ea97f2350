/** Reads numpy `.npz` archives (zip, stored or deflated, zip64 sizes) into named host tensors. */
import * as zlib from 'node:zlib';
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor } from '../backend';
import { parseNpy } from './npy';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function bad(file: string, why: string): StudioError {
  return new StudioError('INVALID_INPUT', `${file} is not a readable .npz archive: ${why}. Save it with numpy.savez().`);
}

function findEocd(view: DataView, file: string): number {
  const min = Math.max(0, view.byteLength - 65557);
  for (let i = view.byteLength - 22; i >= min; i--) if (view.getUint32(i, true) === EOCD) return i;
  throw bad(file, 'it has no zip directory');
}

/** Applies a zip64 extra field to sizes and offsets stored as 0xFFFFFFFF. */
function zip64(view: DataView, extraStart: number, extraLen: number, e: Entry): void {
  let p = extraStart;
  while (p + 4 <= extraStart + extraLen) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const v = Number(view.getBigUint64(q, true));
        q += 8;
        return v;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localOffset === 0xffffffff) e.localOffset = next();
      return;
    }
    p += 4 + len;
  }
}

function entries(view: DataView, file: string): Entry[] {
  const eocd = findEocd(view, file);
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (offset === 0xffffffff || count === 0xffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) throw bad(file, 'its zip64 directory is missing');
    const eocd64 = Number(view.getBigUint64(locator + 8, true));
    count = Number(view.getBigUint64(eocd64 + 32, true));
    offset = Number(view.getBigUint64(eocd64 + 48, true));
  }
  const out: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > view.byteLength || view.getUint32(p, true) !== CENTRAL) throw bad(file, 'its zip directory is damaged');
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const name = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + p + 46, nameLen));
    const e: Entry = {
      name,
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    zip64(view, p + 46 + nameLen, extraLen, e);
    out.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * Decodes a `.npz` file.
 * @param bytes - the file's content
 * @param file - its name, for messages
 * @returns the arrays by name (the `.npy` suffix removed), in archive order
 * @throws StudioError `INVALID_INPUT` for damaged archives and unsupported compression
 */
export function parseNpz(bytes: Uint8Array, file: string): Map<string, HostTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, HostTensor>();
  for (const e of entries(view, file)) {
    if (e.name.endsWith('/')) continue;
    const p = e.localOffset;
    if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL) throw bad(file, `entry ${e.name} is damaged`);
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    const stored = bytes.subarray(start, start + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) data = stored;
    else if (e.method === 8) {
      try {
        data = zlib.inflateRawSync(stored);
      } catch (err) {
        throw bad(file, `entry ${e.name} does not inflate (${(err as Error).message})`);
      }
    } else throw bad(file, `entry ${e.name} uses zip compression method ${e.method} (only stored and deflate are read)`);
    const key = e.name.replace(/\.npy$/, '');
    out.set(key, parseNpy(data, `${file}:${e.name}`));
  }
  return out;
}
