/** Converts ONNX TensorProto values (initializers, `.pb` test inputs) to onnxruntime tensors. */
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../shared/api/errors';
import { dtypeName } from '../onnx/dtypes';
import type { ExternalRef } from '../onnx/external-data';
import { DataType, type TensorProto } from '../onnx/proto';
import { tensorStrings, tensorValues } from '../onnx/tensor-data';

/** ONNX element types onnxruntime-node's Tensor accepts, with its type names. */
const ORT_TYPES: Partial<Record<number, ort.Tensor.Type>> = {
  [DataType.FLOAT]: 'float32',
  [DataType.DOUBLE]: 'float64',
  [DataType.FLOAT16]: 'float16',
  [DataType.INT8]: 'int8',
  [DataType.UINT8]: 'uint8',
  [DataType.INT16]: 'int16',
  [DataType.UINT16]: 'uint16',
  [DataType.INT32]: 'int32',
  [DataType.UINT32]: 'uint32',
  [DataType.INT64]: 'int64',
  [DataType.UINT64]: 'uint64',
  [DataType.BOOL]: 'bool',
  [DataType.STRING]: 'string',
};

/**
 * The onnxruntime type name of an ONNX element type.
 * @param dataType - the `TensorProto.DataType` number
 * @returns the name, or undefined when onnxruntime-node cannot hold such tensors (bfloat16, float8, int4 …)
 */
export function ortTensorType(dataType: number): ort.Tensor.Type | undefined {
  return ORT_TYPES[dataType];
}

/**
 * Converts a TensorProto to an onnxruntime tensor.
 * @param tensor - the tensor (raw_data, typed fields or external)
 * @param external - its external data reference, when it has one
 * @returns the tensor; numeric data is a view over the proto's bytes where alignment allows (float16 as raw bits)
 * @throws StudioError `UNSUPPORTED_OP` for element types onnxruntime-node cannot take as input
 */
export function tensorProtoToOrt(tensor: TensorProto, external?: ExternalRef): ort.Tensor {
  const type = ortTensorType(tensor.dataType);
  if (!type) {
    throw new StudioError(
      'UNSUPPORTED_OP',
      `Tensor "${tensor.name}" is ${dtypeName(tensor.dataType)}, which onnxruntime-node cannot take as an input tensor.`,
    );
  }
  const dims = tensor.dims.map(Number);
  if (type === 'string') return new ort.Tensor('string', tensorStrings(tensor), dims);
  return new ort.Tensor(type, tensorValues(tensor, external) as ort.Tensor.DataType, dims);
}
