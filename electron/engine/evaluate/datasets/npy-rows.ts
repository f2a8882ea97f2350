/** Random access to the rows of a `.npy` file without reading it whole: the header, then one row at a time. */
import * as fs from 'node:fs';
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor, NumericData, TensorDtype } from '../../runtime/backend';
import { floatToHalfBits, halfBitsToFloat, zerosTensor } from '../../runtime/host-tensor';
import { NPY_KINDS as KINDS } from '../../runtime/inputs/npy';


const BYTES: Record<Exclude<TensorDtype, 'string'>, number> = {
  float16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/** An opened `.npy` file. */
export interface NpyFile {
  file: string;
  dtype: Exclude<TensorDtype, 'string'>;
  shape: number[];
  bigEndian: boolean;
  dataOffset: number;
  rowBytes: number;
}

function bad(file: string, why: string): StudioError {
  return new StudioError('INVALID_INPUT', `${file} is not a readable .npy array: ${why}. Save it with numpy.save().`);
}

/**
 * Reads the header of a `.npy` file.
 * @throws StudioError `INVALID_INPUT` for other files, Fortran order, unsupported dtypes, or a file shorter than its header says
 */
export function openNpy(file: string): NpyFile {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(12);
    if (fs.readSync(fd, head, 0, 12, 0) < 10 || head.toString('latin1', 1, 6) !== 'NUMPY' || head[0] !== 0x93) throw bad(file, 'it does not start with the numpy magic bytes');
    const major = head[6];
    const headerLen = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
    const start = major === 1 ? 10 : 12;
    if (headerLen > 1 << 20) throw bad(file, 'its header is too long');
    const text = Buffer.alloc(headerLen);
    if (fs.readSync(fd, text, 0, headerLen, start) < headerLen) throw bad(file, 'its header is cut short');
    const header = text.toString(major === 3 ? 'utf8' : 'latin1');
    const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
    const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
    if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(file, 'its header has no descr, fortran_order or shape');
    const shape = shapeText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(file, `its shape (${shapeText}) has no first axis of items`);
    if (fortran === 'True' && shape.length > 1) throw bad(file, 'it is stored in Fortran order; save it with np.save(f, np.ascontiguousarray(x))');
    const dtype = KINDS[descr.slice(1)];
    if (!dtype) throw new StudioError('INVALID_INPUT', `${file} holds numpy dtype "${descr}", which cannot be fed to a model here.`);
    const rowBytes = shape.slice(1).reduce((a, b) => a * b, 1) * BYTES[dtype];
    const dataOffset = start + headerLen;
    const size = fs.fstatSync(fd).size;
    if (dataOffset + rowBytes * shape[0] > size) throw bad(file, `its data is cut short (${size - dataOffset} bytes for ${shape[0]} rows of ${rowBytes})`);
    return { file, dtype, shape, bigEndian: descr[0] === '>', dataOffset, rowBytes };
  } finally {
    fs.closeSync(fd);
  }
}

/** @returns the typed array of a dtype over bytes (copied to an aligned buffer, byte-swapped when big-endian). */
function view(npy: NpyFile, bytes: Buffer, count: number): NumericData {
  const raw = new Uint8Array(bytes.length);
  raw.set(bytes);
  const size = BYTES[npy.dtype];
  if (npy.bigEndian && size > 1) for (let i = 0; i < raw.length; i += size) raw.subarray(i, i + size).reverse();
  const t = zerosTensor(npy.dtype, [count], 'the row');
  return new (t.data.constructor as { new (b: ArrayBuffer): NumericData })(raw.buffer);
}

/**
 * Reads rows `[start, start + count)`.
 * @returns the rows as one tensor of shape `[count, ...rowShape]` in the file's dtype
 */
export async function readRows(npy: NpyFile, start: number, count: number): Promise<HostTensor> {
  const handle = await fs.promises.open(npy.file, 'r');
  try {
    const buf = Buffer.alloc(npy.rowBytes * count);
    const { bytesRead } = await handle.read(buf, 0, buf.length, npy.dataOffset + start * npy.rowBytes);
    if (bytesRead < buf.length) throw bad(npy.file, `row ${start + count - 1} is cut short`);
    const rowElems = npy.shape.slice(1).reduce((a, b) => a * b, 1);
    return { dtype: npy.dtype, dims: [count, ...npy.shape.slice(1)], data: view(npy, buf, rowElems * count) };
  } finally {
    await handle.close();
  }
}

const FLOATS = new Set<TensorDtype>(['float16', 'float32', 'float64']);

/**
 * Converts a tensor to another numeric dtype when no value changes meaning (integers to floats, floats to wider or
 * narrower floats).
 * @returns the converted tensor, or null when the conversion would lose meaning (floats to integers)
 */
export function convertDtype(t: HostTensor, to: TensorDtype): HostTensor | null {
  if (t.dtype === to) return t;
  if (to === 'string' || t.dtype === 'string') return null;
  if (FLOATS.has(t.dtype) && !FLOATS.has(to)) return null;
  const out = zerosTensor(to, [...t.dims], 'the converted tensor');
  const src = t.data as NumericData;
  const dst = out.data as NumericData;
  const big = to === 'int64' || to === 'uint64';
  for (let i = 0; i < src.length; i++) {
    const raw = src[i];
    const v = t.dtype === 'float16' ? halfBitsToFloat(raw as number) : Number(raw);
    if (to === 'float16') (dst as Uint16Array)[i] = floatToHalfBits(v);
    else if (big) (dst as BigInt64Array)[i] = BigInt(Math.trunc(v));
    else (dst as Float64Array)[i] = v;
  }
  return out;
}
