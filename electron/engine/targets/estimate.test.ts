/** The roofline estimate on hand-made node figures: compute- vs memory-bound, overhead, fusion, precision fallback. */
import { describe, expect, it } from 'vitest';
import type { ModelAnalysisDto, NodeAnalysisDto } from '../../../shared/api/analysis-api';
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import { estimateLatency } from './estimate';

const profile = {
  id: 'p',
  name: 'P',
  deviceClass: 'desktop-cpu',
  precisions: { supported: ['fp32', 'int8'], preferred: 'fp32' },
  peakGops: { fp32: 100, int8: 400 },
  memoryBandwidthGBs: 10,
  efficiency: { conv: 0.5, matmul: 0.5, attention: 0.5, other: 0.5, bandwidth: 1 },
  perNodeOverheadUs: 10,
  uncertaintyFactor: 2,
} as unknown as TargetProfile;

function n(over: Partial<NodeAnalysisDto>): NodeAnalysisDto {
  return { index: 0, name: 'n', opType: 'Conv', domain: '', graph: 'main', opClass: 'conv', precision: 'fp32', macs: 0, flops: 0, params: 0, paramBytes: 0, inputBytes: 0, outputBytes: 0, runs: 1, known: true, ...over };
}

function analysis(nodes: NodeAnalysisDto[]): Omit<ModelAnalysisDto, 'modelId'> {
  return { nodes, costsKnown: true, assumedDims: {} } as unknown as Omit<ModelAnalysisDto, 'modelId'>;
}

describe('estimateLatency', () => {
  it('takes the larger of compute and memory time per node, plus the overhead', () => {
    // 1 GFLOP at 50 GFLOPS = 20 ms; 10 MB at 10 GB/s = 1 ms
    const compute = n({ index: 0, name: 'conv', flops: 1e9, inputBytes: 1e7 });
    // 1 MFLOP; 100 MB at 10 GB/s = 10 ms
    const memory = n({ index: 1, name: 'add', opType: 'Add', opClass: 'elementwise', flops: 1e6, inputBytes: 1e8 });
    const e = estimateLatency(profile, analysis([compute, memory]));
    expect(e.computeBoundMs).toBeCloseTo(20, 6);
    expect(e.memoryBoundMs).toBeCloseTo(10, 6);
    expect(e.overheadMs).toBeCloseTo(0.02, 6);
    expect(e.ms).toBeCloseTo(30.02, 6);
    expect([e.lowMs, e.highMs]).toEqual([e.ms / 2, e.ms * 2]);
    expect(e.slowestNodes.map((s) => [s.name, s.bound])).toEqual([['conv', 'compute'], ['add', 'memory']]);
    expect(e.perNode).toEqual({ conv: expect.any(Number), add: expect.any(Number) });
  });

  it('uses the int8 peak for quantized nodes and fp32 for a precision the target lacks', () => {
    const int8 = estimateLatency(profile, analysis([n({ flops: 1e9, precision: 'int8' })]));
    expect(int8.computeBoundMs).toBeCloseTo(5, 6);
    const fp16 = estimateLatency(profile, analysis([n({ flops: 1e9, precision: 'fp16' })]));
    expect(fp16.computeBoundMs).toBeCloseTo(20, 6);
    expect(fp16.assumptions.join(' ')).toContain('fp16 nodes run as fp32');
  });

  it('costs fused nodes and views nothing, and multiplies loop bodies by their runs', () => {
    const e = estimateLatency(
      profile,
      analysis([n({ index: 0, flops: 1e9 }), n({ index: 1, opType: 'Relu', opClass: 'elementwise', flops: 1e6 }), n({ index: 2, opType: 'Reshape', opClass: 'view' }), n({ index: 3, graph: 'main/Loop.body', flops: 1e8, runs: 10 })]),
      new Set(['main/1']),
    );
    expect(e.fusedNodes).toBe(1);
    expect(e.computeBoundMs).toBeCloseTo(20 + 20, 6);
  });
});
