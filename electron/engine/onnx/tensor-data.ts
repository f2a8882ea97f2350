/** Reads a tensor's values as a typed array, as a view over the model's bytes where alignment allows. */
import { StudioError } from '../../../shared/api/errors';
import { dtypeInfo } from './dtypes';
import { readExternal, type ExternalRef } from './external-data';
import { DataType, type TensorProto } from './proto';

/** Refuse tensors claiming more elements than this before allocating anything (fuzzed dims). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;

export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * The number of elements a tensor's dims describe.
 * @throws StudioError `INVALID_MODEL` for negative dims or counts past {@link MAX_TENSOR_ELEMENTS}
 */
export function elementCount(tensor: Pick<TensorProto, 'dims' | 'name'>): number {
  let n = 1;
  for (const d of tensor.dims) {
    const v = Number(d);
    if (v < 0) throw new StudioError('INVALID_MODEL', `Tensor "${tensor.name}" has a negative dimension (${v}).`);
    n *= v;
  }
  return n;
}

/**
 * The raw little-endian bytes of a tensor stored as raw_data or externally.
 * @returns undefined when values are in the typed repeated fields instead
 */
export function rawBytes(tensor: TensorProto, external?: ExternalRef): Uint8Array | undefined {
  if (external) return readExternal(external);
  if (tensor.rawData.length > 0) return tensor.rawData;
  return undefined;
}

/**
 * Reads the values of a numeric tensor.
 * @param tensor - the tensor
 * @param external - its external reference, when it has one
 * @returns a typed array of the dtype's JS type (float16/bfloat16 as raw Uint16 bits)
 * @throws StudioError for sizes that do not match the dims, or dtypes without a JS array type
 */
export function tensorValues(tensor: TensorProto, external?: ExternalRef): TensorArray {
  const info = dtypeInfo(tensor.dataType);
  const count = elementCount(tensor);
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new StudioError('MODEL_TOO_LARGE', `Tensor "${tensor.name}" claims ${count} elements; refused.`);
  }
  if (!info.array) {
    throw new StudioError('UNSUPPORTED_OP', `Values of ${info.name} tensor "${tensor.name}" cannot be read as numbers yet.`);
  }
  const Ctor = info.array;
  const bytes = rawBytes(tensor, external);
  if (bytes) {
    const want = count * Ctor.BYTES_PER_ELEMENT;
    if (bytes.length !== want) {
      throw new StudioError('INVALID_MODEL', `Tensor "${tensor.name}" has ${bytes.length} bytes of data for ${count} ${info.name} elements (${want} expected).`);
    }
    if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) {
      return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, count) as TensorArray;
    }
    const copy = new Uint8Array(want);
    copy.set(bytes);
    return new Ctor(copy.buffer, 0, count) as TensorArray;
  }
  return fromTypedFields(tensor, Ctor, count);
}

/**
 * Reads the values of a string tensor (`string_data`, one UTF-8 byte string per element).
 * @param tensor - a tensor of dtype STRING
 * @returns the decoded strings
 * @throws StudioError `INVALID_MODEL` when the count does not match the dims
 */
export function tensorStrings(tensor: TensorProto): string[] {
  const count = elementCount(tensor);
  if (tensor.stringData.length !== count) {
    throw new StudioError('INVALID_MODEL', `String tensor "${tensor.name}" holds ${tensor.stringData.length} strings for ${count} elements.`);
  }
  const decoder = new TextDecoder();
  return tensor.stringData.map((bytes) => decoder.decode(bytes));
}

function fromTypedFields(tensor: TensorProto, Ctor: NonNullable<ReturnType<typeof dtypeInfo>['array']>, count: number): TensorArray {
  const dt = tensor.dataType;
  let src: ArrayLike<number | bigint>;
  switch (dt) {
    case DataType.FLOAT:
      src = tensor.floatData;
      break;
    case DataType.DOUBLE:
      src = tensor.doubleData;
      break;
    case DataType.INT64:
      src = tensor.int64Data;
      break;
    case DataType.UINT32:
    case DataType.UINT64:
      src = tensor.uint64Data;
      break;
    default:
      // int8/16/32, uint8/16, bool, float16, bfloat16 and float8 live in int32_data
      src = tensor.int32Data;
  }
  if (src.length !== count) {
    throw new StudioError('INVALID_MODEL', `Tensor "${tensor.name}" holds ${src.length} values for ${count} elements.`);
  }
  const out = new Ctor(count) as TensorArray;
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < count; i++) {
    const v = src[i];
    (out as unknown as Array<number | bigint>)[i] = big ? BigInt(v) : Number(v);
  }
  return out;
}
