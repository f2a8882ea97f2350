/** The int8 format choice: the fastest measured format of a host's table (ties keep the preferred one), and the ISA rule. */
import { describe, expect, it } from 'vitest';
import { formatByIsa, formatByMeasurement, Int8FormatTableSchema, scoreFormats, type Int8FormatTable } from './int8-formats';

/** The figures of this rule's measurement (AVX-512 VNNI EPYC, onnxruntime 1.30, 2 threads), rounded. */
function table(s8s8 = [0.92, 1.34], u8s8 = [2.71, 2.25]): Int8FormatTable {
  const rows = (i: number) => [
    { format: 'u8s8' as const, reduceRange: false, perChannel: true, p50Ms: 40, speedup: u8s8[i] },
    { format: 's8s8' as const, reduceRange: false, perChannel: true, p50Ms: 110, speedup: s8s8[i] },
    { format: 'u8s8' as const, reduceRange: true, perChannel: true, p50Ms: 45, speedup: [2.38, 2.2][i] },
  ];
  return {
    kind: 'deploy-studio-int8-formats',
    version: 1,
    cpuModel: 'AMD EPYC',
    simd: ['avx2', 'avx512f', 'avx512_vnni'],
    onnxruntimeVersion: '1.30.0',
    threads: 2,
    measuredAt: '2025-12-05T22:00:00.000Z',
    models: [
      { model: 'resnet18', floatP50Ms: 110, rows: rows(0) },
      { model: 'mobilenet_v2', floatP50Ms: 50, rows: rows(1) },
    ],
  };
}

describe('the int8 format table', () => {
  it('is a valid file and ranks variants by the geometric mean of their speed-ups', () => {
    expect(Int8FormatTableSchema.safeParse(table()).success).toBe(true);
    const ranked = scoreFormats(table());
    expect(ranked.map((s) => `${s.format}${s.reduceRange ? '-rr' : ''}`)).toEqual(['u8s8', 'u8s8-rr', 's8s8']);
    expect(ranked[0].speedup).toBeCloseTo(Math.sqrt(2.71 * 2.25), 6);
  });

  it('picks the fastest format and says why, with the figures', () => {
    const m = formatByMeasurement(table(), 's8s8');
    expect(m?.format).toBe('u8s8');
    expect(m?.reason).toMatch(/^int8 format U8S8 measured fastest on this host \(AMD EPYC, onnxruntime 1\.30\.0, 2 thread\(s\), 2025-12-05: U8S8 resnet18 2\.71×, mobilenet_v2 2\.25× float; S8S8 resnet18 0\.92×/);
  });

  it('keeps the preferred format when the fastest is within the tie margin', () => {
    expect(formatByMeasurement(table([2.7, 2.2]), 's8s8')?.format).toBe('s8s8');
    expect(formatByMeasurement(table([2.7, 2.2]), 's8s8')?.reason).toMatch(/a tie/);
    expect(formatByMeasurement(table([3.5, 3.0]), 'u8s8')?.format).toBe('s8s8');
  });
});

describe('formatByIsa', () => {
  it('gives U8S8 on x86, with or without VNNI, even when the profile asks S8S8', () => {
    expect(formatByIsa(['avx2', 'fma'], 'u8s8').format).toBe('u8s8');
    const vnni = formatByIsa(['avx512f', 'avx512_vnni'], 's8s8');
    expect(vnni.format).toBe('u8s8');
    expect(vnni.reason).toMatch(/x86 rule.*the profile asked S8S8/);
  });

  it("keeps the profile's format on Arm", () => {
    expect(formatByIsa(['neon', 'asimddp'], 's8s8')).toMatchObject({ format: 's8s8', reason: expect.stringMatching(/from the profile/) });
  });
});
