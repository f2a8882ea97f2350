/** Reading onnxruntime's NCHWc block from the optimized probe model. */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { DataType, NodeProtoSchema, TensorProtoSchema } from '../onnx/proto';
import { nchwcBlockOf, probeConvModel } from './kernel-probe';

/** The probe model as onnxruntime rewrites it: an NCHWc Conv whose weight has its 65 output channels padded. */
function optimized(padded: number, domain = 'com.microsoft.nchwc') {
  const m = probeConvModel();
  const g = m.graph!;
  g.node = [create(NodeProtoSchema, { opType: 'Conv', domain, input: ['xr', 'reorder'], output: ['yr'] })];
  g.initializer = [create(TensorProtoSchema, { name: 'reorder', dataType: DataType.FLOAT, dims: [BigInt(padded), 16n, 1n, 1n] })];
  return m;
}

describe('nchwcBlockOf', () => {
  it.each([
    [80, 16],
    [72, 8],
    [68, 4],
    [96, 32],
  ])('reads a weight padded to %i output channels as a block of %i', (padded, block) => {
    expect(nchwcBlockOf(optimized(padded))).toBe(block);
  });

  it('finds no block when the Conv stayed in plain NCHW', () => {
    expect(nchwcBlockOf(optimized(65, ''))).toBeUndefined();
    expect(nchwcBlockOf(probeConvModel())).toBeUndefined();
  });
});
