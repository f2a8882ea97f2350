/**
 * Large tensors cross from the inference process as files in a RAM-backed folder: Node's IPC serializer moves about
 * 40 MB/s (375 MB of calibration activations took 9 s), a tmpfs file about 2 GB/s.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostTensor } from '../backend';

/** Tensors at least this large go through a file. */
export const BULK_MIN_BYTES = 1 << 20;

/** A tensor whose data waits in a file. */
interface BulkTensor {
  dtype: HostTensor['dtype'];
  dims: number[];
  bulk: { file: string; ctor: string; byteLength: number };
}

const CTORS: Record<string, new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
};

/** @returns a new folder for one client's bulk files: in /dev/shm when it exists (RAM), else the temp folder. */
export function makeBulkDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  try {
    return fs.mkdtempSync(path.join(base, 'ds-bulk-'));
  } catch {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bulk-'));
  }
}

let next = 0;

/**
 * In the inference process: writes large numeric outputs into `dir` and sends only their description.
 * @returns the outputs, large ones replaced by file references
 */
export function toBulk(outputs: Record<string, HostTensor>, dir: string): Record<string, HostTensor | BulkTensor> {
  const out: Record<string, HostTensor | BulkTensor> = {};
  for (const [name, t] of Object.entries(outputs)) {
    const data = t.data;
    if (Array.isArray(data) || !ArrayBuffer.isView(data) || data.byteLength < BULK_MIN_BYTES || !CTORS[data.constructor.name]) {
      out[name] = t;
      continue;
    }
    const file = path.join(dir, `${process.pid}-${next++}.bin`);
    fs.writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    out[name] = { dtype: t.dtype, dims: t.dims, bulk: { file, ctor: data.constructor.name, byteLength: data.byteLength } };
  }
  return out;
}

/**
 * In the engine: reads the files of bulk outputs back (and deletes them).
 * @returns plain host tensors
 */
export function fromBulk(outputs: Record<string, HostTensor | BulkTensor>): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(outputs)) {
    if (!('bulk' in t)) {
      out[name] = t;
      continue;
    }
    const bytes = fs.readFileSync(t.bulk.file);
    fs.rmSync(t.bulk.file, { force: true });
    const Ctor = CTORS[t.bulk.ctor];
    const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const aligned = bytes.byteOffset % size === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
    out[name] = { dtype: t.dtype, dims: t.dims, data: new Ctor(aligned.buffer, aligned.byteOffset, t.bulk.byteLength / size) as HostTensor['data'] };
  }
  return out;
}
