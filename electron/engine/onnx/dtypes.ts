/** ONNX tensor element types: names, bit widths and the typed arrays that view them. */
import { DataType } from './proto';

type TypedArrayCtor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export interface DtypeInfo {
  /** lower-case name as onnxruntime and numpy print it (float32, int4, float8e4m3fn …) */
  name: string;
  /** bits per element (4 for int4, 2 for int2) */
  bits: number;
  /** typed array over the raw little-endian bytes; undefined where no JS type matches (packed or 8-bit floats) */
  array?: TypedArrayCtor;
}

const TABLE: Record<number, DtypeInfo> = {
  [DataType.FLOAT]: { name: 'float32', bits: 32, array: Float32Array },
  [DataType.UINT8]: { name: 'uint8', bits: 8, array: Uint8Array },
  [DataType.INT8]: { name: 'int8', bits: 8, array: Int8Array },
  [DataType.UINT16]: { name: 'uint16', bits: 16, array: Uint16Array },
  [DataType.INT16]: { name: 'int16', bits: 16, array: Int16Array },
  [DataType.INT32]: { name: 'int32', bits: 32, array: Int32Array },
  [DataType.INT64]: { name: 'int64', bits: 64, array: BigInt64Array },
  [DataType.STRING]: { name: 'string', bits: 0 },
  [DataType.BOOL]: { name: 'bool', bits: 8, array: Uint8Array },
  [DataType.FLOAT16]: { name: 'float16', bits: 16, array: Uint16Array },
  [DataType.DOUBLE]: { name: 'float64', bits: 64, array: Float64Array },
  [DataType.UINT32]: { name: 'uint32', bits: 32, array: Uint32Array },
  [DataType.UINT64]: { name: 'uint64', bits: 64, array: BigUint64Array },
  [DataType.COMPLEX64]: { name: 'complex64', bits: 64 },
  [DataType.COMPLEX128]: { name: 'complex128', bits: 128 },
  [DataType.BFLOAT16]: { name: 'bfloat16', bits: 16, array: Uint16Array },
  [DataType.FLOAT8E4M3FN]: { name: 'float8e4m3fn', bits: 8, array: Uint8Array },
  [DataType.FLOAT8E4M3FNUZ]: { name: 'float8e4m3fnuz', bits: 8, array: Uint8Array },
  [DataType.FLOAT8E5M2]: { name: 'float8e5m2', bits: 8, array: Uint8Array },
  [DataType.FLOAT8E5M2FNUZ]: { name: 'float8e5m2fnuz', bits: 8, array: Uint8Array },
  [DataType.UINT4]: { name: 'uint4', bits: 4 },
  [DataType.INT4]: { name: 'int4', bits: 4 },
  [DataType.FLOAT4E2M1]: { name: 'float4e2m1', bits: 4 },
  [DataType.FLOAT8E8M0]: { name: 'float8e8m0', bits: 8, array: Uint8Array },
  [DataType.UINT2]: { name: 'uint2', bits: 2 },
  [DataType.INT2]: { name: 'int2', bits: 2 },
};

/**
 * Looks up an element type.
 * @param dataType - the `TensorProto.DataType` number
 * @returns its info; unknown numbers get a name like `dtype(99)` and 0 bits
 */
export function dtypeInfo(dataType: number): DtypeInfo {
  return TABLE[dataType] ?? { name: dataType === 0 ? 'undefined' : `dtype(${dataType})`, bits: 0 };
}

/** @returns the dtype's readable name, e.g. `float32`. */
export function dtypeName(dataType: number): string {
  return dtypeInfo(dataType).name;
}

/**
 * Bytes taken by `count` elements of a type (sub-byte types are packed, rounded up).
 * @returns 0 for strings and unknown types
 */
export function byteSize(dataType: number, count: number): number {
  const { bits } = dtypeInfo(dataType);
  return Math.ceil((bits * count) / 8);
}
