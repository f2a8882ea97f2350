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

/** What a `.npy` header says: the element type, the shape, the layout, and where the data starts. */
export interface NpyHeader {
  dtype: Exclude<TensorDtype, 'string'>;
  shape: number[];
  /** column-major data (`fortran_order: True`) */
  fortran: boolean;
  /** big-endian elements (descr `>…`) */
  bigEndian: boolean;
  /** bytes of one element */
  elementBytes: number;
  /** offset of the first data byte */
  dataOffset: number;
}

/** Bytes that hold the magic, the version and the header length: enough to learn where the header ends. */
export const NPY_PREAMBLE_BYTES = 12;
/** Headers longer than this are refused (numpy writes well under a kilobyte). */
const MAX_HEADER_BYTES = 1 << 20;

function bad(file: string, why: string): StudioError {
  return new StudioError('INVALID_INPUT', `${file} is not a readable .npy array: ${why}. Save it with numpy.save().`);
}

/**
 * Reads where a `.npy` header ends from the file's first bytes.
 * @param bytes - at least the first 10 bytes of the file ({@link NPY_PREAMBLE_BYTES} for versions 2 and 3)
 * @param file - its name, for messages
 * @returns the offset of the first data byte
 * @throws StudioError `INVALID_INPUT` without the numpy magic bytes or with an absurdly long header
 */
export function npyDataOffset(bytes: Uint8Array, file: string): number {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad(file, 'it does not start with the numpy magic bytes');
  const major = bytes[6];
  if (major !== 1 && bytes.length < NPY_PREAMBLE_BYTES) throw bad(file, 'its header is cut short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES) throw bad(file, 'its header is too long');
  return (major === 1 ? 10 : 12) + headerLen;
}

/**
 * Parses the header of a `.npy` file (format versions 1–3).
 * @param bytes - the file's first bytes, the whole header at least (see {@link npyDataOffset})
 * @param file - its name, for messages
 * @throws StudioError `INVALID_INPUT` for other files, a header cut short, a shape that is not a list of sizes, or an
 * element type a model cannot take (objects, strings, complex numbers)
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const dataOffset = npyDataOffset(bytes, file);
  if (dataOffset > bytes.length) throw bad(file, 'its header is cut short');
  const headerStart = bytes[6] === 1 ? 10 : 12;
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataOffset));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(file, 'its header has no descr, fortran_order or shape');
  const shape = shapeText
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(file, `its shape (${shapeText}) is not a list of sizes`);
  const kind = descr.slice(1);
  const dtype = NPY_KINDS[kind];
  if (!dtype) {
    throw new StudioError(
      'INVALID_INPUT',
      `${file} holds numpy dtype "${descr}", which cannot be fed to a model here (use float16/32/64, int8–64, uint8–64 or bool).`,
    );
  }
  return { dtype, shape, fortran: fortran === 'True', bigEndian: descr[0] === '>', elementBytes: Number(kind.slice(1)), dataOffset };
}

/**
 * Turns raw `.npy` element bytes into a typed array of the header's dtype.
 * @param raw - whole elements in the file's byte order
 * @param header - the file's header (dtype and byte order)
 * @returns the elements in a new, aligned, little-endian buffer (the input is not changed)
 */
export function npyElements(raw: Uint8Array, header: Pick<NpyHeader, 'dtype' | 'bigEndian' | 'elementBytes'>): NumericData {
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  const size = header.elementBytes;
  if (header.bigEndian && size > 1) for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  const ctor = zerosTensor(header.dtype, [0], 'the array').data.constructor as { new (b: ArrayBuffer): NumericData };
  return new ctor(copy.buffer);
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
  const header = parseNpyHeader(bytes, file);
  const n = countElements(header.shape);
  if (n > MAX_INPUT_ELEMENTS) throw bad(file, `it has ${n} elements, more than ${MAX_INPUT_ELEMENTS}`);
  const t = zerosTensor(header.dtype, header.shape, file);
  const data = t.data as NumericData;
  const size = header.elementBytes;
  const start = header.dataOffset;
  if (start + n * size > bytes.length) throw bad(file, `its data is cut short (${bytes.length - start} bytes for ${n} × ${size})`);
  const src = npyElements(bytes.subarray(start, start + n * size), header);
  if (header.fortran && header.shape.length > 1) fortranToC(src, data, header.shape);
  else (data as Uint8Array).set(src as Uint8Array);
  return t;
}
