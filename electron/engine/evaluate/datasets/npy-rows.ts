/** Random access to the rows of a `.npy` file without reading it whole: the header, then one row at a time. */
import * as fs from 'node:fs';
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor, NumericData, TensorDtype } from '../../runtime/backend';
import { floatToHalfBits, halfBitsToFloat, zerosTensor } from '../../runtime/host-tensor';
import { NPY_PREAMBLE_BYTES, npyDataOffset, npyElements, parseNpyHeader, type NpyHeader } from '../../runtime/inputs/npy';

/** An opened `.npy` file: its header, and the bytes of one row (one item along the first axis). */
export interface NpyFile extends NpyHeader {
  file: string;
  rowBytes: number;
}

function bad(file: string, why: string): StudioError {
  return new StudioError('INVALID_INPUT', `${file} is not a readable .npy array: ${why}. Save it with numpy.save().`);
}

/**
 * Reads the header of a `.npy` file (the runtime's `.npy` reader parses it), not its data.
 * @throws StudioError `INVALID_INPUT` for other files, Fortran order, unsupported dtypes, or a file shorter than its header says
 */
export function openNpy(file: string): NpyFile {
  const fd = fs.openSync(file, 'r');
  try {
    const pre = Buffer.alloc(NPY_PREAMBLE_BYTES);
    const got = fs.readSync(fd, pre, 0, pre.length, 0);
    const end = npyDataOffset(pre.subarray(0, got), file);
    const head = Buffer.alloc(end);
    const headerBytes = fs.readSync(fd, head, 0, end, 0);
    const header = parseNpyHeader(head.subarray(0, headerBytes), file);
    const { shape } = header;
    if (shape.length === 0) throw bad(file, 'its shape () has no first axis of items');
    if (header.fortran && shape.length > 1) throw bad(file, 'it is stored in Fortran order; save it with np.save(f, np.ascontiguousarray(x))');
    const rowBytes = shape.slice(1).reduce((a, b) => a * b, 1) * header.elementBytes;
    const size = fs.fstatSync(fd).size;
    if (header.dataOffset + rowBytes * shape[0] > size) throw bad(file, `its data is cut short (${size - header.dataOffset} bytes for ${shape[0]} rows of ${rowBytes})`);
    return { ...header, file, rowBytes };
  } finally {
    fs.closeSync(fd);
  }
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
    return { dtype: npy.dtype, dims: [count, ...npy.shape.slice(1)], data: npyElements(buf, npy) };
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
