/** Reads numpy `.npy` arrays (format versions 1–3, any byte order, C or Fortran order) into host tensors. */
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor, NumericData, TensorDtype } from '../backend';
import { countElements, MAX_INPUT_ELEMENTS, zerosTensor } from '../host-tensor';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** numpy's type codes (without the byte-order character) and the tensor dtype each reads as. */
export const NPY_KINDS: Record<string, Exclude<TensorDtype, 'string'>> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

function bad(file: string, why: string): StudioError {
  return new StudioError('INVALID_INPUT', `${file} is not a readable .npy array: ${why}. Save it with numpy.save().`);
}

function parseHeader(text: string, file: string): Header {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(file, 'its header has no descr, fortran_order or shape');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(file, `its shape (${shapeText}) is not a list of sizes`);
  return { descr, fortran: fortran === 'True', shape };
}

/** Reorders Fortran-order (column-major) elements to C order. */
function fortranToC(src: NumericData, dst: NumericData, shape: number[]): void {
  const n = countElements(shape);
  const rank = shape.length;
  const fStride: number[] = [];
  let s = 1;
  for (let i = 0; i < rank; i++) {
    fStride[i] = s;
    s *= shape[i];
  }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let i = 0; i < rank; i++) f += idx[i] * fStride[i];
    (dst as Float64Array)[c] = (src as Float64Array)[f];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
}

/**
 * Decodes a `.npy` file.
 * @param bytes - the file's content
 * @param file - its name, for messages
 * @returns the array as a host tensor (data copied into an aligned, little-endian buffer)
 * @throws StudioError `INVALID_INPUT` for other files, object or string arrays and truncated data
 */
export function parseNpy(bytes: Uint8Array, file: string): HostTensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad(file, 'it does not start with the numpy magic bytes');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw bad(file, 'its header is cut short');
  const header = parseHeader(new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen)), file);
  const order = header.descr[0];
  const kind = header.descr.slice(1);
  const dtype = NPY_KINDS[kind] ?? (header.descr === '|b1' ? 'bool' : undefined);
  if (!dtype) {
    throw new StudioError(
      'INVALID_INPUT',
      `${file} holds numpy dtype "${header.descr}", which cannot be fed to a model here (use float16/32/64, int8–64, uint8–64 or bool).`,
    );
  }
  const n = countElements(header.shape);
  if (n > MAX_INPUT_ELEMENTS) throw bad(file, `it has ${n} elements, more than ${MAX_INPUT_ELEMENTS}`);
  const t = zerosTensor(dtype, header.shape, file);
  const data = t.data as NumericData;
  const size = data.BYTES_PER_ELEMENT;
  const start = headerStart + headerLen;
  if (start + n * size > bytes.length) throw bad(file, `its data is cut short (${bytes.length - start} bytes for ${n} × ${size})`);
  const raw = new Uint8Array(n * size);
  raw.set(bytes.subarray(start, start + n * size));
  if (order === '>' && size > 1) {
    for (let i = 0; i < raw.length; i += size) raw.subarray(i, i + size).reverse();
  }
  const src = new (data.constructor as { new (b: ArrayBuffer): NumericData })(raw.buffer);
  if (header.fortran && header.shape.length > 1) fortranToC(src, data, header.shape);
  else (data as Uint8Array).set(src as Uint8Array);
  return t;
}
