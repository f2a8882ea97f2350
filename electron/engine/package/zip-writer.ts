/** A streaming ZIP writer (deflate via Node's zlib, CRC-32 via zlib.crc32): folders of any file count, files < 4 GB. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { StudioError } from '../../../shared/api/errors';

const LIMIT = 0xfffffffe;

interface Entry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  dosTime: number;
  dosDate: number;
  mode: number;
}

function dosDateTime(d: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    dosTime: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** @returns every file under `dir` as paths relative to it with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Zips a folder: every file under `dir` is stored deflated as `<prefix>/<relative path>`.
 * @param dir - the folder to pack
 * @param zipPath - the archive to create (must not exist)
 * @param prefix - the folder name inside the archive
 * @param onProgress - fraction of input bytes packed
 * @returns the archive's size in bytes
 * @throws StudioError `MODEL_TOO_LARGE` for a file or archive past 4 GB (ZIP64 is not written)
 */
export async function zipFolder(dir: string, zipPath: string, prefix: string, signal?: AbortSignal, onProgress?: (fraction: number) => void): Promise<number> {
  const files = listFiles(dir);
  if (files.length > 0xffff) throw new StudioError('INVALID_REQUEST', `${files.length} files are more than a ZIP without ZIP64 holds (65535): ship the folder instead.`);
  const total = files.reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) || 1;
  const fd = fs.openSync(zipPath, 'wx');
  const entries: Entry[] = [];
  let pos = 0;
  let packed = 0;
  try {
    for (const rel of files) {
      if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Packaging was cancelled.');
      const abs = path.join(dir, rel);
      const stat = fs.statSync(abs);
      if (stat.size > LIMIT) throw new StudioError('MODEL_TOO_LARGE', `${rel} is larger than 4 GiB, past the ZIP format's limit: ship the folder instead of the zip.`);
      const name = Buffer.from(`${prefix}/${rel}`, 'utf8');
      const { dosTime, dosDate } = dosDateTime(stat.mtime);
      const entry: Entry = { name, crc: 0, compressed: 0, size: stat.size, offset: pos, dosTime, dosDate, mode: stat.mode & 0o777 };
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x0800, 6); // UTF-8 names
      header.writeUInt16LE(8, 8); // deflate
      header.writeUInt16LE(dosTime, 10);
      header.writeUInt16LE(dosDate, 12);
      header.writeUInt16LE(name.length, 26);
      fs.writeSync(fd, header, 0, 30, pos);
      fs.writeSync(fd, name, 0, name.length, pos + 30);
      const dataStart = pos + 30 + name.length;
      let crc = 0;
      let written = 0;
      const crcPass = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          crc = zlib.crc32(chunk, crc);
          packed += chunk.length;
          onProgress?.(packed / total);
          cb(null, chunk);
        },
      });
      const sink = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          fs.writeSync(fd, chunk, 0, chunk.length, dataStart + written);
          written += chunk.length;
          cb();
        },
      });
      await pipeline(fs.createReadStream(abs), crcPass, zlib.createDeflateRaw({ level: 6 }), sink, { signal });
      entry.crc = crc >>> 0;
      entry.compressed = written;
      const sizes = Buffer.alloc(12);
      sizes.writeUInt32LE(entry.crc, 0);
      sizes.writeUInt32LE(written, 4);
      sizes.writeUInt32LE(stat.size, 8);
      fs.writeSync(fd, sizes, 0, 12, pos + 14);
      entries.push(entry);
      pos = dataStart + written;
      if (pos > LIMIT) throw new StudioError('MODEL_TOO_LARGE', 'The archive would pass 4 GiB, the ZIP format\'s limit: ship the folder instead of the zip.');
    }
    const central = entries.map((e) => {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(0x0800, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(e.dosTime, 12);
      h.writeUInt16LE(e.dosDate, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38);
      h.writeUInt32LE(e.offset, 42);
      return Buffer.concat([h, e.name]);
    });
    const cd = Buffer.concat(central);
    fs.writeSync(fd, cd, 0, cd.length, pos);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(pos, 16);
    fs.writeSync(fd, end, 0, 22, pos + cd.length);
    fs.fsyncSync(fd);
    return pos + cd.length + 22;
  } finally {
    fs.closeSync(fd);
  }
}
