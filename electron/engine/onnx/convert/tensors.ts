/** Small tensors the opset adapters add (axes, pads, scales, scalars) and reading small constant tensors as numbers. */
import { create } from '@bufbuild/protobuf';
import { DataType, TensorProtoSchema, type TensorProto } from '../proto';
import type { ExternalRef } from '../external-data';
import { tensorValues } from '../tensor-data';

/** Constants larger than this are not read into numbers (shape-like inputs are tiny). */
const MAX_READ_ELEMENTS = 1 << 16;

/**
 * A tensor with raw little-endian data of the given element type.
 * @param name - the tensor's name
 * @param dataType - FLOAT, DOUBLE, FLOAT16, INT8/16/32/64, UINT8/16/32/64 or BOOL
 * @param dims - its shape (`[]` for a scalar)
 * @param values - the elements, row-major
 * @returns the tensor
 * @throws Error for an element type that has no builder here (callers check with {@link canBuild})
 */
export function buildTensor(name: string, dataType: number, dims: readonly number[], values: ReadonlyArray<number | bigint>): TensorProto {
  const raw = encodeValues(dataType, values);
  if (!raw) throw new Error(`no builder for element type ${dataType}`);
  return create(TensorProtoSchema, { name, dataType, dims: dims.map((d) => BigInt(d)), rawData: raw });
}

/** @returns true when {@link buildTensor} can build tensors of this element type. */
export function canBuild(dataType: number): boolean {
  return encodeValues(dataType, [0]) !== undefined;
}

function encodeValues(dataType: number, all: ReadonlyArray<number | bigint>): Uint8Array | undefined {
  let array: ArrayBufferView;
  if (dataType === DataType.INT64) {
    array = BigInt64Array.from(all, toInt64);
    return new Uint8Array(array.buffer);
  }
  const values = all.map(Number);
  switch (dataType) {
    case DataType.FLOAT:
      array = Float32Array.from(values);
      break;
    case DataType.DOUBLE:
      array = Float64Array.from(values);
      break;
    case DataType.FLOAT16:
      array = Uint16Array.from(values, floatToHalfBits);
      break;
    case DataType.INT8:
      array = Int8Array.from(values);
      break;
    case DataType.UINT8:
    case DataType.BOOL:
      array = Uint8Array.from(values);
      break;
    case DataType.INT16:
      array = Int16Array.from(values);
      break;
    case DataType.UINT16:
      array = Uint16Array.from(values);
      break;
    case DataType.INT32:
      array = Int32Array.from(values);
      break;
    case DataType.UINT32:
      array = Uint32Array.from(values);
      break;
    case DataType.UINT64:
      array = BigUint64Array.from(values, (v) => BigInt(Math.trunc(v)));
      break;
    default:
      return undefined;
  }
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** @returns a number or bigint as an int64 (truncated, clamped to the int64 range: 2^63 from a float is INT64_MAX). */
export function toInt64(v: number | bigint): bigint {
  const b = typeof v === 'bigint' ? v : Number.isFinite(v) ? BigInt(Math.trunc(v)) : v > 0 ? INT64_MAX : INT64_MIN;
  return b > INT64_MAX ? INT64_MAX : b < INT64_MIN ? INT64_MIN : b;
}

/**
 * The elements of a small numeric tensor as plain numbers (int64 beyond 2^53 lose precision; float16 is decoded).
 * @param tensor - a stored tensor (initializer or Constant value)
 * @param external - its external-data reference, when it has one
 * @returns the numbers, or undefined for strings, packed types or tensors too large to be shape-like
 */
export function readNumbers(tensor: TensorProto, external?: ExternalRef): number[] | undefined {
  const count = tensor.dims.reduce((n, d) => n * Number(d), 1);
  if (count > MAX_READ_ELEMENTS) return undefined;
  let values: ArrayLike<number | bigint>;
  try {
    values = tensorValues(tensor, external);
  } catch {
    return undefined;
  }
  const half = tensor.dataType === DataType.FLOAT16;
  if (tensor.dataType === DataType.BFLOAT16 || tensor.dataType >= DataType.FLOAT8E4M3FN) return undefined;
  return Array.from(values as ArrayLike<number>, (v) => (half ? halfBitsToFloat(Number(v)) : Number(v)));
}

/** @returns IEEE 754 half-precision bits of a number (round to nearest even). */
export function floatToHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (mant | 0x800000) >> (1 - e);
    return sign | ((m + 0xfff + ((m >> 13) & 1)) >> 13);
  }
  const rounded = (e << 10) | (mant >> 13);
  const rest = mant & 0x1fff;
  return sign | (rest > 0x1000 || (rest === 0x1000 && rounded & 1) ? rounded + 1 : rounded);
}

/** @returns the value of IEEE 754 half-precision bits. */
export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
