/** CPU detection helpers on recorded /proc/cpuinfo text (x86 and ARM). */
import { describe, expect, it } from 'vitest';
import { parseCpuinfo, simdThroughput } from './cpu-info';

const X86 = `processor\t: 0
model name\t: AMD Ryzen 7 5800X 8-Core Processor
cpu MHz\t\t: 3800.000
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse sse4_2 avx avx2 fma f16c

processor\t: 1
model name\t: AMD Ryzen 7 5800X 8-Core Processor
cpu MHz\t\t: 3800.000
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse sse4_2 avx avx2 fma f16c

processor\t: 2
physical id\t: 0
core id\t\t: 1
flags\t\t: fpu sse sse4_2 avx avx2 fma f16c
`;

const ARM = `processor\t: 0
BogoMIPS\t: 108.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
CPU implementer\t: 0x41
CPU part\t: 0xd0b

processor\t: 1
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp

Hardware\t: BCM2712
Model\t\t: Raspberry Pi 5 Model B Rev 1.0
`;

describe('parseCpuinfo', () => {
  it('reads an x86 CPU: model, physical cores apart from SMT siblings, clock, SIMD', () => {
    const c = parseCpuinfo(X86);
    expect(c.model).toBe('AMD Ryzen 7 5800X 8-Core Processor');
    expect(c.logicalCores).toBe(3);
    expect(c.physicalCores).toBe(2);
    expect(c.clockGHz).toBe(3.8);
    expect(c.simd).toEqual(['sse4_2', 'avx', 'avx2', 'fma', 'f16c']);
    expect(simdThroughput(c.simd)).toMatchObject({ fp32PerCycle: 32, int8Factor: 2 });
  });

  it('reads an ARM board: NEON with dot product', () => {
    const c = parseCpuinfo(ARM);
    expect(c.model).toBe('Raspberry Pi 5 Model B Rev 1.0');
    expect(c.logicalCores).toBe(2);
    expect(c.simd).toEqual(expect.arrayContaining(['neon', 'asimd', 'asimddp', 'fphp']));
    expect(simdThroughput(c.simd)).toMatchObject({ fp32PerCycle: 16, int8Factor: 4 });
  });

  it('knows AVX-512 with VNNI and AMX', () => {
    expect(simdThroughput(['avx2', 'fma', 'avx512f', 'avx512_vnni'])).toMatchObject({ fp32PerCycle: 64, int8Factor: 4 });
    expect(simdThroughput(['avx512f', 'amx_int8'])).toMatchObject({ int8Factor: 8 });
  });
});
