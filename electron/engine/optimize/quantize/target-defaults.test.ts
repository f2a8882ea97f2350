/** Static int8 defaults: the host's measured format table wins, then the ISA rule (x86: U8S8), then the profile; reduce-range follows saturation. */
import { describe, expect, it } from 'vitest';
import type { Int8FormatTable } from '../../../../shared/targets/int8-formats';
import type { TargetProfile } from '../../../../shared/targets/profile-schema';
import { defaultsFor } from './target-defaults';

const VNNI = ['avx2', 'fma', 'avx512f', 'avx512_vnni'];

function profile(id: string, simd: string[], activationType: 'int8' | 'uint8', ep: 'cpu' | 'tensorrt' = 'cpu'): TargetProfile {
  return {
    schemaVersion: 1,
    id,
    name: id,
    description: 'A profile for tests, with nothing else to say.',
    sources: ['tests'],
    deviceClass: ep === 'cpu' ? 'desktop-cpu' : 'nvidia-gpu',
    hardware: { simd },
    executionProviders: ep === 'cpu' ? ['cpu'] : ['tensorrt', 'cpu'],
    threads: { intraOp: 0, interOp: 0 },
    graphOptimizationLevel: 'all',
    precisions: { supported: ['fp32', 'int8'], preferred: 'fp32' },
    memoryBudgetBytes: 1,
    storageBudgetBytes: 1,
    peakGops: { fp32: 1, int8: 2 },
    memoryBandwidthGBs: 1,
    unsupportedOps: [],
    recipeDefaults: {
      quantization: { mode: 'static', format: 'qdq', weightType: 'int8', activationType, perChannel: true, calibration: 'minmax' },
      fp16: false,
      pruningCeiling: 0.5,
    },
  };
}

function table(u8s8: number, s8s8: number): Int8FormatTable {
  return {
    kind: 'deploy-studio-int8-formats',
    version: 1,
    cpuModel: 'AMD EPYC',
    simd: VNNI,
    onnxruntimeVersion: '1.30.0',
    threads: 2,
    measuredAt: '2025-12-05T22:00:00.000Z',
    models: [
      {
        model: 'resnet18',
        floatP50Ms: 100,
        rows: [
          { format: 'u8s8', reduceRange: false, perChannel: true, p50Ms: 100 / u8s8, speedup: u8s8 },
          { format: 's8s8', reduceRange: false, perChannel: true, p50Ms: 100 / s8s8, speedup: s8s8 },
          { format: 'u8s8', reduceRange: true, perChannel: true, p50Ms: 100 / u8s8, speedup: u8s8 * 0.98 },
        ],
      },
    ],
  };
}

describe('static int8 defaults', () => {
  it('on the host, pick the fastest measured format and cite the figures', () => {
    const d = defaultsFor(undefined, VNNI, { table: table(2.7, 0.95), why: 'measured' });
    expect(d).toMatchObject({ format: 'u8s8', reduceRange: false, perChannel: true });
    expect(d.source).toMatch(/^this host; int8 format U8S8 measured fastest on this host .*resnet18 2\.70×.*S8S8 resnet18 0\.95×/);
    expect(d.reduceRangeReason).toMatch(/int8 dot-product instructions.*measured here: U8S8 reduce-range resnet18 2\.65× vs U8S8 resnet18 2\.70× float/);
  });

  it('follow a measurement that favours S8S8 on the host profile', () => {
    const d = defaultsFor(profile('host', VNNI, 'uint8'), VNNI, { table: table(1.5, 2.5), why: 'measured' });
    expect(d.format).toBe('s8s8');
    expect(d.source).toMatch(/^target profile "host"; int8 format S8S8 measured fastest/);
  });

  it('on the host without a measurement, use the x86 rule and say how to measure', () => {
    const d = defaultsFor(undefined, VNNI, { why: 'no int8 format table at /x (npm run bench -- int8-formats measures one)' });
    expect(d.format).toBe('u8s8');
    expect(d.source).toMatch(/by the x86 rule.*\(no measurement: no int8 format table at \/x/);
  });

  it('for another x86 target, ignore the host table and apply the ISA rule; reduce-range without VNNI', () => {
    const d = defaultsFor(profile('desktop-x86-avx2', ['avx2', 'fma'], 'uint8'), VNNI, { table: table(1.5, 2.5), why: 'measured' });
    expect(d).toMatchObject({ format: 'u8s8', reduceRange: true });
    expect(d.source).toMatch(/^target profile "desktop-x86-avx2"; int8 format U8S8 by the x86 rule/);
    expect(d.reduceRangeReason).toMatch(/^x86 without VNNI/);
  });

  it("keep an accelerator's or an Arm CPU's own format", () => {
    expect(defaultsFor(profile('orin', ['neon'], 'int8', 'tensorrt'), VNNI).format).toBe('s8s8');
    expect(defaultsFor(profile('pi', ['neon', 'asimddp'], 'int8'), VNNI)).toMatchObject({ format: 's8s8', reduceRange: false });
  });
});
