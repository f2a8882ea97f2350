/** Specs of the TensorProto → onnxruntime tensor conversion. */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/api/errors';
import { DataType, TensorProtoSchema } from '../onnx/proto';
import { ortTensorType, tensorProtoToOrt } from './tensor-proto';

describe('tensorProtoToOrt', () => {
  it('converts raw float data with its dims', () => {
    const t = create(TensorProtoSchema, { dims: [2n, 1n], dataType: DataType.FLOAT, rawData: new Uint8Array(new Float32Array([1.5, -2]).buffer) });
    const o = tensorProtoToOrt(t);
    expect(o.type).toBe('float32');
    expect(o.dims).toEqual([2, 1]);
    expect(Array.from(o.data as Float32Array)).toEqual([1.5, -2]);
  });

  it('converts typed fields: int64, bool and float16 bits', () => {
    const i64 = tensorProtoToOrt(create(TensorProtoSchema, { dims: [2n], dataType: DataType.INT64, int64Data: [5n, -7n] }));
    expect(Array.from(i64.data as BigInt64Array)).toEqual([5n, -7n]);
    const bool = tensorProtoToOrt(create(TensorProtoSchema, { dims: [3n], dataType: DataType.BOOL, int32Data: [1, 0, 1] }));
    expect(bool.type).toBe('bool');
    expect(Array.from(bool.data as Uint8Array)).toEqual([1, 0, 1]);
    const half = tensorProtoToOrt(create(TensorProtoSchema, { dims: [1n], dataType: DataType.FLOAT16, int32Data: [0x3c00] }));
    expect(half.type).toBe('float16');
    expect(Array.from(half.data as Uint16Array)).toEqual([0x3c00]);
  });

  it('converts strings', () => {
    const enc = new TextEncoder();
    const t = create(TensorProtoSchema, { dims: [2n], dataType: DataType.STRING, stringData: [enc.encode('héllo'), enc.encode('')] });
    expect(tensorProtoToOrt(t).data).toEqual(['héllo', '']);
  });

  it('refuses element types onnxruntime-node cannot hold', () => {
    expect(ortTensorType(DataType.BFLOAT16)).toBeUndefined();
    const t = create(TensorProtoSchema, { name: 'b', dims: [1n], dataType: DataType.BFLOAT16, int32Data: [0] });
    expect(() => tensorProtoToOrt(t)).toThrow(StudioError);
  });
});
