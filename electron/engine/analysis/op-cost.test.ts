/** The per-node cost model against hand-computed figures. */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { DataType, NodeProtoSchema, type NodeProto } from '../onnx/proto';
import type { Dim } from './dims';
import type { TensorFacts } from './infer-types';
import { opCost } from './op-cost';

function node(opType: string, inputs: number, attrs: Record<string, number | number[] | string> = {}, domain = ''): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    domain,
    input: Array.from({ length: inputs }, (_, i) => `in${i}`),
    output: ['out'],
    attribute: Object.entries(attrs).map(([name, v]) =>
      typeof v === 'string' ? { name, s: new TextEncoder().encode(v) } : Array.isArray(v) ? { name, ints: v.map(BigInt) } : { name, i: BigInt(v) },
    ),
  });
}
const f = (...shape: Dim[]): TensorFacts => ({ dtype: DataType.FLOAT, shape });

describe('opCost', () => {
  it('counts grouped, dilated convolutions per output element', () => {
    // 64 → 128 channels in 2 groups, 3×3 kernel dilated by 2, 56×56 output
    const c = opCost(node('Conv', 3, { group: 2, dilations: [2, 2] }), [f(1, 64, 60, 60), f(128, 32, 3, 3), f(128)], [f(1, 128, 56, 56)], {});
    expect(c.macs).toBe(128 * 56 * 56 * 32 * 9);
    expect(c.flops).toBe(2 * c.macs + 128 * 56 * 56);
    expect(c.known).toBe(true);
  });

  it('counts ConvTranspose per input element', () => {
    const c = opCost(node('ConvTranspose', 2), [f(1, 16, 8, 8), f(16, 8, 4, 4)], [f(1, 8, 18, 18)], {});
    expect(c.macs).toBe(16 * 8 * 8 * 8 * 16);
  });

  it('counts Gemm and batched MatMul, with symbols at their sizes', () => {
    expect(opCost(node('Gemm', 3, { transB: 1 }), [f('batch', 512), f(1000, 512), f(1000)], [f('batch', 1000)], {}).macs).toBe(512_000);
    expect(opCost(node('Gemm', 3, { transB: 1 }), [f('batch', 512), f(1000, 512), f(1000)], [f('batch', 1000)], { batch: 8 }).macs).toBe(8 * 512_000);
    expect(opCost(node('MatMul', 2), [f(2, 4, 16, 64), f(2, 4, 64, 16)], [f(2, 4, 16, 16)], {}).macs).toBe(2 * 4 * 16 * 16 * 64);
  });

  it('counts Einsum contractions over every letter', () => {
    const c = opCost(node('Einsum', 2, { equation: 'bhqd,bhkd->bhqk' }), [f(2, 4, 16, 32), f(2, 4, 8, 32)], [f(2, 4, 16, 8)], {});
    expect(c.macs).toBe(2 * 4 * 16 * 32 * 8);
  });

  it('counts attention as Q·Kᵀ and weights·V', () => {
    // ONNX Attention with 4-D Q, K, V: B=1, H=8, S=L=128, D=64
    const c = opCost(node('Attention', 3), [f(1, 8, 128, 64), f(1, 8, 128, 64), f(1, 8, 128, 64)], [f(1, 8, 128, 64)], {});
    expect(c.macs).toBe(2 * 8 * 128 * 128 * 64);
    expect(c.opClass).toBe('attention');
  });

  it('counts pooling, normalization and elementwise work, and nothing for views', () => {
    expect(opCost(node('MaxPool', 1, { kernel_shape: [3, 3] }), [f(1, 64, 112, 112)], [f(1, 64, 56, 56)], {}).flops).toBe(64 * 56 * 56 * 9);
    expect(opCost(node('GlobalAveragePool', 1), [f(1, 512, 7, 7)], [f(1, 512, 1, 1)], {}).flops).toBe(512 * 49);
    expect(opCost(node('BatchNormalization', 5), [f(1, 8, 4, 4)], [f(1, 8, 4, 4)], {}).flops).toBe(2 * 128);
    expect(opCost(node('Add', 2), [f(1, 10), f(1, 10)], [f(1, 10)], {}).flops).toBe(10);
    expect(opCost(node('Reshape', 2), [f(1, 10), f(2)], [f(10)], {})).toMatchObject({ flops: 0, opClass: 'view' });
  });

  it('says when a shape it needs is unknown', () => {
    expect(opCost(node('Conv', 2), [f(1, 3, null, null), f(8, 3, 3, 3)], [f(1, 8, null, null)], {}).known).toBe(false);
  });
});
