/** Channel multiples from a target's ISA, the multiple pruning uses, and rounding kept counts to it. */
import { describe, expect, it } from 'vitest';
import { channelMultipleOf, channelMultiplesFromIsa, pruneMultiple, roundKept } from './channel-multiple';
import type { TargetProfile } from './profile-schema';

describe('channelMultiplesFromIsa', () => {
  it.each([
    [['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni'], 16, 16, 'AVX-512 VNNI'],
    [['avx2', 'avx512f'], 16, 16, 'AVX-512'],
    [['avx2', 'avx512f', 'avx512_vnni', 'amx_int8', 'amx_bf16'], 16, 16, 'AVX-512 + AMX'],
    [['avx2', 'fma'], 8, 8, 'AVX2'],
    [['avx'], 8, 8, 'AVX'],
    [['sse4_2'], 4, 4, 'SSE'],
    [['neon', 'asimddp', 'fphp'], 4, 4, 'NEON'],
    [['neon', 'asimddp', 'fphp', 'i8mm'], 4, 8, 'NEON'],
    [['wasm-simd128'], 4, 4, 'WebAssembly SIMD'],
    [[], 1, 1, 'unknown ISA'],
  ])('%j: fp32 %i, int8 %i (%s)', (simd, fp32, int8, isa) => {
    const m = channelMultiplesFromIsa({ simd });
    expect(m).toMatchObject({ fp32, int8, isa });
    expect(m.reasons.fp32.length).toBeGreaterThan(10);
  });

  it('gives NVIDIA tensor cores their tile multiples whatever the host CPU', () => {
    expect(channelMultiplesFromIsa({ simd: ['neon'], deviceClass: 'nvidia-gpu', executionProviders: ['tensorrt', 'cuda', 'cpu'] })).toMatchObject({ fp32: 4, fp16: 8, int8: 16 });
  });

  it('gives ARM fp16 8 lanes when the CPU has half-precision arithmetic', () => {
    expect(channelMultiplesFromIsa({ simd: ['neon', 'fphp'] }).fp16).toBe(8);
    expect(channelMultiplesFromIsa({ simd: ['neon'] }).fp16).toBeUndefined();
  });
});

describe('pruneMultiple', () => {
  it('takes the preferred precision and int8 when the target supports it', () => {
    expect(pruneMultiple({ fp32: 16, int8: 4 }, { supported: ['fp32', 'int8'], preferred: 'fp32' })).toBe(16);
    expect(pruneMultiple({ fp32: 4, int8: 8 }, { supported: ['fp32', 'int8'], preferred: 'int8' })).toBe(8);
    expect(pruneMultiple({ fp32: 4, fp16: 8, int8: 16 }, { supported: ['fp32', 'fp16'], preferred: 'fp16' })).toBe(8);
    expect(pruneMultiple({ fp32: 4, fp16: 8, int8: 16 }, { supported: ['fp32', 'fp16', 'int8'], preferred: 'fp16' })).toBe(16);
  });
});

const base = {
  schemaVersion: 1,
  id: 'board',
  name: 'Board',
  description: 'A board for tests, nothing more to say.',
  sources: ['tests'],
  deviceClass: 'desktop-cpu',
  hardware: { simd: ['avx2', 'fma'] },
  executionProviders: ['cpu'],
  threads: { intraOp: 0, interOp: 0 },
  graphOptimizationLevel: 'all',
  precisions: { supported: ['fp32', 'int8'], preferred: 'fp32' },
  memoryBudgetBytes: 1,
  storageBudgetBytes: 1,
  peakGops: { fp32: 1, int8: 2 },
  memoryBandwidthGBs: 1,
  unsupportedOps: [],
  recipeDefaults: {
    quantization: { mode: 'static', format: 'qdq', weightType: 'int8', activationType: 'uint8', perChannel: true, calibration: 'minmax' },
    fp16: false,
    pruningCeiling: 0.5,
  },
} satisfies TargetProfile;

describe('channelMultipleOf', () => {
  it('derives the multiple from the ISA and says so', () => {
    const m = channelMultipleOf(base);
    expect(m).toMatchObject({ multiple: 8, fp32: 8, int8: 8, from: 'isa', isa: 'AVX2' });
    expect(m.source).toMatch(/^from the ISA \(AVX2\): fp32 8, .*NCHWc block is 8.*pruning rounds to the fp32 multiple, 8$/);
  });

  it('uses a measured figure over the ISA, keeping the ISA for what was not measured', () => {
    const m = channelMultipleOf({ ...base, hardware: { simd: ['avx2', 'avx512f'] }, channelMultiple: { fp32: 16, source: 'fp32 16, measured on this host', measured: true } });
    expect(m).toMatchObject({ multiple: 16, fp32: 16, int8: 16, from: 'measured', isa: 'AVX-512' });
    expect(m.source).toMatch(/^fp32 16, measured on this host; int8 16 from the ISA/);
  });

  it('marks a stated, unmeasured figure as the profile’s', () => {
    expect(channelMultipleOf({ ...base, channelMultiple: { fp32: 32, int8: 32, source: 'vendor kernel guide' } })).toMatchObject({ multiple: 32, from: 'profile' });
  });
});

describe('roundKept', () => {
  it('rounds to the nearest multiple, keeps at least one multiple, never more than the layer has', () => {
    expect(roundKept(45, 64, 16)).toBe(48);
    expect(roundKept(90, 128, 16)).toBe(96);
    expect(roundKept(179, 256, 16)).toBe(176);
    expect(roundKept(358, 512, 16)).toBe(352);
    expect(roundKept(5, 64, 16)).toBe(16);
    expect(roundKept(11, 12, 16)).toBe(12);
    expect(roundKept(45, 64, 1)).toBe(45);
  });
});
