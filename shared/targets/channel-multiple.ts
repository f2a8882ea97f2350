/** The channel multiple a target's kernels like (vector width or kernel block, per dtype), and where it came from. */
import type { DeviceClass, ExecutionProvider, Precision, TargetProfile } from './profile-schema';

/** Channel multiples per dtype of one target. */
export interface ChannelMultiples {
  fp32: number;
  int8: number;
  fp16?: number;
  /** the instruction set or accelerator the figures are for, e.g. `AVX-512` */
  isa: string;
  /** why each number (kernel block, lanes, tile shape) */
  reasons: { fp32: string; int8: string; fp16?: string };
}

/** The multiple channel pruning rounds kept channel counts to, with where it came from. */
export interface ChannelMultipleDto {
  /** kept channel counts are rounded to a multiple of this (1: no rounding) */
  multiple: number;
  /** per dtype, as found */
  fp32: number;
  int8: number;
  fp16?: number;
  isa: string;
  /** `measured` on this host, stated in the `profile`, or derived from the `isa` */
  from: 'measured' | 'profile' | 'isa';
  /** one sentence: how the figures were found and why the multiple is this one */
  source: string;
}

/** What the ISA rule reads from a profile. */
export interface IsaFacts {
  simd?: readonly string[];
  deviceClass?: DeviceClass;
  executionProviders?: readonly ExecutionProvider[];
}

/**
 * The channel multiples a target's kernels block by, from its instruction set.
 * @param facts - SIMD flags as Linux prints them (`avx512f`, `avx2`, `asimd`, `asimddp`, `i8mm`, `wasm-simd128` …),
 * the device class and execution providers
 * @returns multiples per dtype with the ISA label and the reason
 * @remarks fp32: onnxruntime's CPU convolutions run in NCHWc blocks of 16 channels with AVX-512 and 8 with AVX/AVX2
 * (MLAS `MlasNchwcGetBlockSize`: the fp32 lanes of one vector register); NEON, SSE and WebAssembly SIMD hold 4 lanes.
 * int8: VNNI (`VPDPBUSD`), AVX2's `VPMADDUBSW`/`VPMADDWD` and Arm's `SDOT` sum 4 int8 products per 32-bit lane, and
 * output channels fill the int32 accumulator lanes of a register (16 with AVX-512, 8 with AVX2, 4 with NEON); Arm
 * `SMMLA` (i8mm) takes 8 values per row; AMX tiles and NVIDIA tensor cores (int8) 16. Measured on an AVX-512 VNNI
 * EPYC (`npm run bench -- channel-blocks`, QLinearConv chains): counts that are not multiples of 4 cost about 1.5× per
 * c², multiples of 16 about 8 % less than their neighbours. NVIDIA tensor cores want fp16 channels in multiples of 8
 * (NVIDIA Deep Learning Performance Guide, "Channels In and Out").
 */
export function channelMultiplesFromIsa(facts: IsaFacts): ChannelMultiples {
  const simd = facts.simd ?? [];
  const has = (f: string) => simd.includes(f);
  const eps = facts.executionProviders ?? [];
  const make = (isa: string, fp32: [number, string], int8: [number, string], fp16?: [number, string]): ChannelMultiples => ({
    fp32: fp32[0],
    int8: int8[0],
    ...(fp16 ? { fp16: fp16[0] } : {}),
    isa,
    reasons: { fp32: fp32[1], int8: int8[1], ...(fp16 ? { fp16: fp16[1] } : {}) },
  });
  if (facts.deviceClass === 'nvidia-gpu' || eps[0] === 'cuda' || eps[0] === 'tensorrt') {
    return make('NVIDIA tensor cores', [4, 'TF32 tensor-core tiles take channels in 4s'], [16, 'int8 tensor-core tiles take channels in 16s'], [8, 'fp16 tensor-core tiles take channels in 8s']);
  }
  if (eps[0] === 'webgpu') return make('WebGPU', [4, 'the WebGPU kernels load channels as vec4'], [4, 'packed 4 to a 32-bit word'], [4, 'the WebGPU kernels load channels as vec4']);
  const dot4 = 'dot products sum 4 int8 products per 32-bit lane';
  if (has('avx512f')) {
    const amx = has('amx_int8');
    return make(
      amx ? 'AVX-512 + AMX' : has('avx512_vnni') ? 'AVX-512 VNNI' : 'AVX-512',
      [16, "16 fp32 lanes per register (onnxruntime's NCHWc block is 16)"],
      [16, amx ? 'AMX tiles hold 16 columns' : `16 int32 accumulator lanes per register, ${dot4}`],
    );
  }
  if (has('avx2') || has('avx')) {
    return make(has('avx2') ? 'AVX2' : 'AVX', [8, "8 fp32 lanes per register (onnxruntime's NCHWc block is 8)"], [8, `8 int32 accumulator lanes per register, ${dot4}`]);
  }
  if (has('asimd') || has('neon')) {
    const fp16: [number, string] | undefined = has('fphp') || has('asimdhp') ? [8, '8 fp16 lanes per register'] : undefined;
    return make('NEON', [4, '4 fp32 lanes per register'], has('i8mm') ? [8, 'SMMLA takes 8 int8 values of each row'] : [4, 'SDOT sums 4 int8 products per 32-bit lane'], fp16);
  }
  if (has('wasm-simd128')) return make('WebAssembly SIMD', [4, '128-bit vectors hold 4 fp32 lanes'], [4, dot4]);
  if (has('sse4_2')) return make('SSE', [4, '128-bit vectors hold 4 fp32 lanes'], [4, dot4]);
  return make('unknown ISA', [1, 'the profile names no SIMD features, so no block is known'], [1, 'no block is known']);
}

/**
 * The multiple pruning rounds to: the largest of the dtypes the target computes in (its preferred precision, and int8
 * when it supports int8, since a pruned model is often quantized next). The figures are powers of two, so the largest
 * is a multiple of the others.
 */
export function pruneMultiple(m: Pick<ChannelMultiples, 'fp32' | 'int8' | 'fp16'>, precisions: { supported: readonly Precision[]; preferred: Precision }): number {
  const of = (p: Precision) => (p === 'int8' || p === 'int4' ? m.int8 : p === 'fp16' || p === 'bf16' ? (m.fp16 ?? m.fp32) : m.fp32);
  return Math.max(of(precisions.preferred), precisions.supported.includes('int8') ? m.int8 : 1);
}

/**
 * The channel multiple of a target profile: its `channelMultiple` field (measured, for the host) when present, else
 * derived from its ISA.
 */
export function channelMultipleOf(profile: TargetProfile): ChannelMultipleDto {
  const stated = profile.channelMultiple;
  const isa = channelMultiplesFromIsa({ simd: profile.hardware.simd, deviceClass: profile.deviceClass, executionProviders: profile.executionProviders });
  const m = stated ? { fp32: stated.fp32, int8: stated.int8 ?? isa.int8, fp16: stated.fp16 ?? isa.fp16 } : isa;
  const multiple = pruneMultiple(m, profile.precisions);
  const which = multiple === m.fp32 ? 'fp32' : multiple === m.int8 ? 'int8' : 'fp16';
  const parts = stated
    ? [stated.source, ...(stated.int8 === undefined ? [`int8 ${isa.int8} from the ISA (${isa.isa}: ${isa.reasons.int8})`] : [])]
    : [`from the ISA (${isa.isa}): fp32 ${isa.fp32}, ${isa.reasons.fp32}`, `int8 ${isa.int8}, ${isa.reasons.int8}`, ...(isa.fp16 && isa.reasons.fp16 ? [`fp16 ${isa.fp16}, ${isa.reasons.fp16}`] : [])];
  return {
    multiple,
    fp32: m.fp32,
    int8: m.int8,
    ...(m.fp16 !== undefined ? { fp16: m.fp16 } : {}),
    isa: isa.isa,
    from: stated ? (stated.measured ? 'measured' : 'profile') : 'isa',
    source: [...parts, `pruning rounds to the ${which} multiple, ${multiple}`].join('; '),
  };
}

/**
 * Rounds a kept channel count to a multiple: the nearest one, at least one multiple, never more than the layer has.
 * @param kept - channels the ratio alone keeps
 * @param total - channels the layer has
 */
export function roundKept(kept: number, total: number, multiple: number): number {
  if (multiple <= 1) return kept;
  return Math.min(total, Math.max(multiple, Math.round(kept / multiple) * multiple));
}
