/** Helpers for host tensors: typed arrays per dtype, element counts, float16 bits, reading values as numbers. */
import { StudioError } from '../../../shared/api/errors';
import type { HostTensor, NumericData, TensorDtype } from './backend';

type NumericCtor = { new (n: number): NumericData; readonly BYTES_PER_ELEMENT: number };

const CTORS: Record<Exclude<TensorDtype, 'string'>, NumericCtor> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

/** Tensors with more elements than this are refused before anything is allocated. */
export const MAX_INPUT_ELEMENTS = 2 ** 30;

/** @returns true for the dtype names a host tensor can hold. */
export function isTensorDtype(name: string): name is TensorDtype {
  return name === 'string' || Object.prototype.hasOwnProperty.call(CTORS, name);
}

/** @returns the product of the dims (1 for a scalar). */
export function countElements(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/**
 * Allocates a zero-filled tensor.
 * @throws StudioError `INVALID_INPUT` past {@link MAX_INPUT_ELEMENTS}
 */
export function zerosTensor(dtype: TensorDtype, dims: number[], what = 'the tensor'): HostTensor {
  const n = countElements(dims);
  if (n > MAX_INPUT_ELEMENTS) {
    throw new StudioError('INVALID_INPUT', `${what} would have ${n} elements ([${dims.join(', ')}]), more than the ${MAX_INPUT_ELEMENTS} this studio feeds. Use smaller dimension values.`);
  }
  if (dtype === 'string') return { dtype, dims, data: new Array<string>(n).fill('') };
  return { dtype, dims, data: new CTORS[dtype](n) };
}

/** @returns true for 64-bit integer data (BigInt arrays). */
export function isBigData(data: HostTensor['data']): data is BigInt64Array | BigUint64Array {
  return data instanceof BigInt64Array || data instanceof BigUint64Array;
}

/** Converts a float to IEEE half-precision bits (round to nearest even). */
export function floatToHalfBits(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Converts IEEE half-precision bits to a number. */
export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Reads element `i` of a numeric tensor as a number (float16 decoded, 64-bit integers converted).
 * @remarks Callers loop over big tensors: keep this small.
 */
export function valueAt(t: HostTensor, i: number): number {
  const d = t.data;
  if (Array.isArray(d)) return NaN;
  if (t.dtype === 'float16') return halfBitsToFloat(d[i] as number);
  const v = d[i];
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * Makes a numeric tensor from JS numbers, converting to the dtype.
 * @param values - element values in row-major order
 * @throws StudioError `INVALID_INPUT` when a value does not fit an integer dtype
 */
export function tensorFromNumbers(dtype: Exclude<TensorDtype, 'string'>, dims: number[], values: ArrayLike<number>, what: string): HostTensor {
  const t = zerosTensor(dtype, dims, what);
  const data = t.data as NumericData;
  const integer = !['float32', 'float64', 'float16'].includes(dtype);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (integer && !Number.isInteger(v) && !(dtype === 'bool' && typeof v === 'boolean')) {
      throw new StudioError('INVALID_INPUT', `${what} expects ${dtype} values, but element ${i} is ${v}. Give whole numbers for an integer input.`);
    }
    if (dtype === 'float16') (data as Uint16Array)[i] = floatToHalfBits(v);
    else if (dtype === 'bool') (data as Uint8Array)[i] = v ? 1 : 0;
    else if (dtype === 'int64' || dtype === 'uint64') (data as BigInt64Array)[i] = BigInt(v);
    else (data as Float32Array)[i] = v;
  }
  return t;
}

/** @returns a short description like `float32 [1, 3, 224, 224]`. */
export function describeTensor(t: Pick<HostTensor, 'dtype' | 'dims'>): string {
  return `${t.dtype} [${t.dims.join(', ')}]`;
}
