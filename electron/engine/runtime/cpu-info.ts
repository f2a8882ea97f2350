/** CPU facts of this host: model, cores, clock and SIMD features (Linux /proc/cpuinfo, macOS sysctl, Windows best effort). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface CpuFacts {
  model: string;
  physicalCores: number;
  logicalCores: number;
  clockGHz: number | null;
  /** lower-case feature names as Linux prints them (avx2, fma, avx512f, avx512_vnni, amx_int8, asimd, asimddp …) */
  simd: string[];
  notes: string[];
}

/** The SIMD flags worth showing and using (others are dropped). */
const INTERESTING = [
  'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'avx512_fp16',
  'amx_tile', 'amx_int8', 'amx_bf16', 'neon', 'asimd', 'asimddp', 'asimdhp', 'fphp', 'i8mm', 'bf16', 'sve', 'sve2', 'sme',
];

/**
 * Parses /proc/cpuinfo text.
 * @param text - the file's content
 * @returns model, cores and SIMD flags found (clock from `cpu MHz`)
 */
export function parseCpuinfo(text: string): Omit<CpuFacts, 'notes' | 'logicalCores'> & { logicalCores: number } {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim());
  const field = (b: string, key: string) => new RegExp(`^${key}\\s*:\\s*(.*)$`, 'mi').exec(b)?.[1]?.trim();
  const first = blocks[0] ?? '';
  const flags = new Set((field(first, 'flags') ?? field(first, 'Features') ?? '').split(/\s+/).filter(Boolean));
  if (flags.has('asimd')) flags.add('neon');
  const cores = new Set<string>();
  for (const b of blocks) {
    const phys = field(b, 'physical id');
    const core = field(b, 'core id');
    if (phys !== undefined && core !== undefined) cores.add(`${phys}:${core}`);
  }
  const logical = blocks.filter((b) => /^processor\s*:/m.test(b)).length || blocks.length;
  const mhz = Number(field(first, 'cpu MHz'));
  return {
    model: field(first, 'model name') ?? field(text, 'Model') ?? field(text, 'Hardware') ?? '',
    physicalCores: cores.size || logical,
    logicalCores: logical,
    clockGHz: Number.isFinite(mhz) && mhz > 0 ? mhz / 1000 : null,
    simd: INTERESTING.filter((f) => flags.has(f)),
  };
}

function sysctl(key: string): string | undefined {
  try {
    return execFileSync('sysctl', ['-n', key], { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function linux(): CpuFacts {
  const info = parseCpuinfo(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  const notes: string[] = [];
  let clock = info.clockGHz;
  try {
    const khz = Number(fs.readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq', 'utf8'));
    if (khz > 0) clock = khz / 1e6;
  } catch {
    if (clock) notes.push(`Clock ${clock.toFixed(2)} GHz read from /proc/cpuinfo (no cpufreq data; turbo clocks are not known).`);
  }
  return { ...info, model: info.model || os.cpus()[0]?.model || 'unknown CPU', clockGHz: clock, notes };
}

function mac(): CpuFacts {
  const simd: string[] = [];
  const flag = (key: string, name: string) => {
    if (sysctl(key) === '1') simd.push(name);
  };
  if (process.arch === 'arm64') {
    simd.push('neon', 'asimd');
    flag('hw.optional.arm.FEAT_DotProd', 'asimddp');
    flag('hw.optional.arm.FEAT_FP16', 'fphp');
    flag('hw.optional.arm.FEAT_I8MM', 'i8mm');
    flag('hw.optional.arm.FEAT_BF16', 'bf16');
  } else {
    flag('hw.optional.avx1_0', 'avx');
    flag('hw.optional.avx2_0', 'avx2');
    flag('hw.optional.fma', 'fma');
    flag('hw.optional.avx512f', 'avx512f');
    flag('hw.optional.avx512vnni', 'avx512_vnni');
  }
  const hz = Number(sysctl('hw.cpufrequency_max') ?? 0);
  return {
    model: sysctl('machdep.cpu.brand_string') ?? os.cpus()[0]?.model ?? 'unknown CPU',
    physicalCores: Number(sysctl('hw.perflevel0.physicalcpu') ?? sysctl('hw.physicalcpu') ?? os.cpus().length),
    logicalCores: os.cpus().length,
    clockGHz: hz > 0 ? hz / 1e9 : null,
    simd,
    notes: process.arch === 'arm64' ? ['Apple silicon: performance cores counted; the clock is not published by macOS.'] : [],
  };
}

function fallback(): CpuFacts {
  const cpus = os.cpus();
  const mhz = cpus[0]?.speed ?? 0;
  const simd = process.arch === 'arm64' ? ['neon', 'asimd'] : ['avx2', 'fma'];
  return {
    model: cpus[0]?.model ?? 'unknown CPU',
    physicalCores: cpus.length,
    logicalCores: cpus.length,
    clockGHz: mhz > 0 ? mhz / 1000 : null,
    simd,
    notes: [`SIMD features cannot be read on ${process.platform}: assumed ${simd.join(' + ')}; logical processors counted as cores.`],
  };
}

/** @returns the CPU facts of this host (never throws). */
export function detectCpu(): CpuFacts {
  try {
    if (process.platform === 'linux' && fs.existsSync('/proc/cpuinfo')) return linux();
    if (process.platform === 'darwin') return mac();
  } catch {
    // fall through to the portable guess
  }
  return fallback();
}

/**
 * FLOPs per cycle per core of the widest fp32 vector unit, assuming two FMA pipes.
 * @returns the figure and the int8 multiplier over fp32 that onnxruntime's kernels reach
 */
export function simdThroughput(simd: readonly string[]): { fp32PerCycle: number; int8Factor: number; label: string } {
  const has = (f: string) => simd.includes(f);
  if (has('avx512f')) return { fp32PerCycle: 64, int8Factor: has('amx_int8') ? 8 : has('avx512_vnni') ? 4 : 2, label: 'AVX-512' };
  if (has('avx2') && has('fma')) return { fp32PerCycle: 32, int8Factor: has('avx_vnni') ? 4 : 2, label: 'AVX2 + FMA' };
  if (has('avx')) return { fp32PerCycle: 16, int8Factor: 2, label: 'AVX' };
  if (has('asimd') || has('neon')) return { fp32PerCycle: 16, int8Factor: has('asimddp') ? 4 : 2, label: 'NEON' };
  return { fp32PerCycle: 8, int8Factor: 2, label: 'SSE' };
}
