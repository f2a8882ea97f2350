/** Host detection: CPU, RAM, measured memory bandwidth and loadable execution providers, and the host profile built from them. */
import * as os from 'node:os';
import type { HostInfoDto } from '../../../shared/api/targets-api';
import type { ChannelMultipleFigures, TargetProfile } from '../../../shared/targets/profile-schema';
import { ortVersion } from '../runtime/ort-info';
import { detectCpu, simdThroughput } from '../runtime/cpu-info';
import { measureGemmGflops, probeExecutionProviders } from '../runtime/ep-probe';
import { probeConvBlock, type KernelProbe } from '../runtime/kernel-probe';
import { formatLabel, scoreFormats } from '../../../shared/targets/int8-formats';
import { readHostInt8Table } from './host-int8-formats';

/**
 * Measures copy bandwidth: the best of several copies of a 64 MiB buffer (read + write bytes over time).
 * @returns GB/s (10^9 bytes per second), single thread
 */
export function measureCopyBandwidth(bytes = 64 * 2 ** 20, repeats = 5): number {
  const src = Buffer.alloc(bytes, 1);
  const dst = Buffer.alloc(bytes);
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    src.copy(dst);
    const ns = Number(process.hrtime.bigint() - t0);
    best = Math.min(best, ns);
  }
  return (2 * bytes) / best;
}

/** What detection finds besides execution providers: CPU, RAM, measured GEMM throughput and bandwidth. */
export type HostFigures = Omit<HostInfoDto, 'executionProviders'>;

let figures: Promise<HostFigures> | undefined;
let full: Promise<HostInfoDto> | undefined;
let detected = false;

/** @returns true once this process has detected the host (later calls to {@link detectHost} answer at once). */
export function isHostDetected(): boolean {
  return detected;
}

/**
 * The host's CPU, RAM, compute and bandwidth figures (cached for the process; `refresh` measures again).
 * @remarks Compute is measured: a 1024³ float32 MatMul on onnxruntime's CPU provider with one thread per physical
 * core (best of 8 runs, in a child process, about half a second); the theoretical peak is the fallback.
 */
export function hostFigures(refresh = false): Promise<HostFigures> {
  if (!figures || refresh) {
    figures = measureFigures();
    figures.catch(() => (figures = undefined));
  }
  return figures;
}

async function measureFigures(): Promise<HostFigures> {
  const cpu = detectCpu();
  const simd = simdThroughput(cpu.simd);
  const notes = [...cpu.notes];
  const clock = cpu.clockGHz ?? 2.5;
  if (cpu.clockGHz === null) notes.push('The clock is unknown: 2.5 GHz is assumed for the theoretical peak.');
  const theoretical = cpu.physicalCores * clock * simd.fp32PerCycle;
  const measured = await measureGemmGflops(cpu.physicalCores);
  const fp32 = measured ?? theoretical;
  notes.push(
    measured
      ? `fp32 ${measured.toFixed(0)} GFLOPS measured (1024³ MatMul on onnxruntime's CPU provider, ${cpu.physicalCores} threads, best of 8); the theoretical peak is ${theoretical.toFixed(0)} GFLOPS (${cpu.physicalCores} cores × ${clock.toFixed(2)} GHz × ${simd.fp32PerCycle} FLOPs/cycle, ${simd.label}).`
      : `fp32 peak = ${cpu.physicalCores} cores × ${clock.toFixed(2)} GHz × ${simd.fp32PerCycle} FLOPs/cycle (${simd.label}, two FMA pipes) = ${theoretical.toFixed(0)} GFLOPS (the GEMM measurement failed).`,
  );
  notes.push(`int8 is taken as ${simd.int8Factor}× fp32 (${simd.label}${cpu.simd.includes('avx512_vnni') || cpu.simd.includes('avx_vnni') ? ' with VNNI' : ''}).`);
  const bandwidth = measureCopyBandwidth();
  notes.push(`Memory bandwidth ${bandwidth.toFixed(1)} GB/s measured with a single-thread 64 MiB copy.`);
  const probe = await probeConvBlock().catch((err: unknown) => ({ failure: String(err) }) as KernelProbe);
  const channelMultiple = channelMultipleFromProbe(probe);
  notes.push(channelMultiple ? `Channel multiple: ${channelMultiple.source}.` : `No channel block was read from onnxruntime (${probe.failure ?? 'it used no NCHWc convolutions on this CPU'}): channel multiples come from the ISA.`);
  const int8 = readHostInt8Table({ cpuModel: cpu.model, onnxruntimeVersion: ortVersion() });
  const scores = int8.table ? scoreFormats(int8.table) : [];
  notes.push(
    scores.length
      ? `int8 formats measured here (${int8.why}): ${scores.map((f) => `${formatLabel(f)} ${f.speedup.toFixed(2)}×`).join(', ')} float (geometric mean over the models); static int8 defaults to the fastest.`
      : `int8 format: by the ISA rule (${int8.why}).`,
  );
  return {
    cpuModel: cpu.model,
    cores: cpu.physicalCores,
    logicalCores: cpu.logicalCores,
    clockGHz: cpu.clockGHz,
    simd: cpu.simd,
    fp32FlopsPerCycle: simd.fp32PerCycle,
    peakGops: { fp32: round(fp32), int8: round(fp32 * simd.int8Factor) },
    memoryBandwidthGBs: round(bandwidth),
    ramBytes: os.totalmem(),
    platform: process.platform,
    arch: process.arch,
    onnxruntimeVersion: ortVersion(),
    detectedAt: new Date().toISOString(),
    notes,
    ...(channelMultiple ? { channelMultiple } : {}),
  };
}

/**
 * The host's measured channel multiple from the kernel probe.
 * @returns the fp32 figure (int8 is left to the ISA rule), or undefined when onnxruntime used no NCHWc convolutions
 */
export function channelMultipleFromProbe(probe: KernelProbe): ChannelMultipleFigures | undefined {
  if (!probe.nchwcBlock) return undefined;
  return {
    fp32: probe.nchwcBlock,
    source: `fp32 ${probe.nchwcBlock}, measured on this host: onnxruntime ${ortVersion()} runs fp32 convolutions in NCHWc blocks of ${probe.nchwcBlock} channels (read from its optimized graph of a probe Conv; other counts are padded, or left to slower NCHW kernels)`,
    measured: true,
  };
}

/**
 * Detects this host, execution providers included (cached for the process; `refresh` detects again).
 * @remarks Probing starts one short child process per provider onnxruntime-node lists.
 */
export function detectHost(refresh = false): Promise<HostInfoDto> {
  if (!full || refresh) {
    detected = false;
    full = Promise.all([hostFigures(refresh), probeExecutionProviders()]).then(([f, executionProviders]) => {
      detected = true;
      return { ...f, executionProviders };
    });
    full.catch(() => (full = undefined));
  }
  return full;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * The host profile: the bundled `host.json` with the detected figures filled in.
 * @param base - the bundled host profile
 * @param host - detection results
 */
export function hostProfile(base: TargetProfile, host: HostFigures): TargetProfile {
  return {
    ...base,
    hardware: { cpu: host.cpuModel, cores: host.cores, simd: host.simd },
    // the host profile describes the CPU (its figures are the CPU's); accelerators found are listed in HostInfoDto
    executionProviders: ['cpu'],
    threads: { intraOp: 0, interOp: 0 },
    // what the model may use: half the RAM, the rest is the OS's and the studio's
    memoryBudgetBytes: Math.floor(host.ramBytes / 2),
    peakGops: { fp32: host.peakGops.fp32, int8: host.peakGops.int8 },
    memoryBandwidthGBs: host.memoryBandwidthGBs,
    // the figures are measured (GEMM, copy), so efficiencies are relative to what this host reaches, not to a datasheet.
    // Convolutions beat the 1024³ MatMul probe: onnxruntime's NCHWc conv kernels measured 2.3× its figure with one
    // thread and 3.3× with two on resnet18 (AMD EPYC, AVX-512), the MatMul scaling only 1.35× to two threads; 2.0 keeps
    // depthwise-heavy models (mobilenet_v2) inside the estimate's band too.
    efficiency: { conv: 2.0, matmul: 0.9, attention: 0.5, other: 0.3, bandwidth: 1, ...(base.efficiency ?? {}) },
    ...(host.channelMultiple ? { channelMultiple: host.channelMultiple } : {}),
  };
}
