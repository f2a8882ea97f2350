/** Small integer tensors (split sizes, reshape targets). */
import { create as createMessage } from '@bufbuild/protobuf';
import { DataType, TensorProtoSchema, type TensorProto } from '../../onnx/proto';

/** @returns an int64 (or int32) tensor holding `values`. */
export function intTensor(dims: number[], values: number[], dataType: DataType = DataType.INT64): TensorProto {
  const raw =
    dataType === DataType.INT32 ? new Uint8Array(Int32Array.from(values).buffer) : new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
  return createMessage(TensorProtoSchema, { name: '', dims: dims.map(BigInt), dataType, rawData: raw });
}
