/** Quantization defaults from a target profile (or this host: its measured int8 format table, else the ISA): mode, int8 format, reduce-range, calibration. */
import { formatByIsa, formatByMeasurement, isX86, scoreFormats, speedupText, type Int8FormatTable } from '../../../../shared/targets/int8-formats';
import type { TargetProfile } from '../../../../shared/targets/profile-schema';
import { detectCpu } from '../../runtime/cpu-info';
import { ortVersion } from '../../runtime/ort-info';
import { readHostInt8Table } from '../../targets/host-int8-formats';
import { HOST_PROFILE_ID } from '../../targets/profile-store';
import type { ProfileSource } from '../pass';
import type { CalibrationMethod } from './range-methods';

export type QuantFormat = 's8s8' | 'u8s8' | 'u8u8';

/** What a quantization pass uses when the user does not say. */
export interface QuantDefaults {
  mode: 'none' | 'dynamic' | 'static';
  format: QuantFormat;
  perChannel: boolean;
  reduceRange: boolean;
  method: CalibrationMethod;
  /** leave element-wise/pool/concat nodes with float neighbours in float (CPU: onnxruntime runs them as lone integer kernels) */
  fusedOnly: boolean;
  /** where the defaults came from and why this int8 format (measured here, the ISA rule, the profile), for reports and the GUI */
  source: string;
  /** why reduce-range is on or off */
  reduceRangeReason: string;
  /** the SIMD features the decision used */
  simd: string[];
}

/** @returns true when int8 dot products run without saturation risk (VNNI, AMX or ARM dot-product instructions). */
export function hasInt8DotProduct(simd: readonly string[]): boolean {
  return simd.some((f) => ['avx512_vnni', 'avx_vnni', 'amx_int8', 'asimddp', 'i8mm'].includes(f));
}

/** What the host measured: its int8 format table, or why there is none. */
export interface HostInt8Figures {
  table?: Int8FormatTable;
  why: string;
}

/** @returns the saturation rule's reason, with the measured reduce-range figures when the host has them. */
function reduceRangeText(reduceRange: boolean, format: QuantFormat, x86: boolean, dot: boolean, table: Int8FormatTable | undefined): string {
  const rule = reduceRange
    ? 'x86 without VNNI: u8×s8 products are summed in 16 bits (VPMADDUBSW) and can saturate, so weights use 7 bits'
    : format !== 'u8s8'
      ? `${format.toUpperCase()} kernels do not saturate`
      : dot
        ? 'the CPU has int8 dot-product instructions (no saturation)'
        : 'not an x86 CPU';
  const scores = table ? scoreFormats(table) : [];
  const rr = scores.find((s) => s.format === 'u8s8' && s.reduceRange && s.perChannel);
  const full = scores.find((s) => s.format === 'u8s8' && !s.reduceRange && s.perChannel);
  return rr && full ? `${rule}; measured here: U8S8 reduce-range ${speedupText(rr)} vs U8S8 ${speedupText(full)} float (the same kernels: it buys no speed)` : rule;
}

/**
 * The defaults for a target.
 * @param profile - the target profile, when one was chosen
 * @param hostSimd - this host's SIMD flags (used without a profile, or for a profile without SIMD facts)
 * @param host - this host's int8 format table (used for the host: no profile, or the host profile)
 * @remarks The int8 format: on the host, the fastest format it measured; on other CPU targets the ISA rule
 * ({@link formatByIsa}: U8S8 on x86); on accelerators the profile's. Reduce-range follows saturation (x86 without VNNI).
 */
export function defaultsFor(profile: TargetProfile | undefined, hostSimd: readonly string[], host?: HostInt8Figures): QuantDefaults {
  const q = profile?.recipeDefaults.quantization;
  const simd = profile?.hardware.simd?.length ? profile.hardware.simd : [...hostSimd];
  const stated: QuantFormat = q ? (q.weightType === 'uint8' ? 'u8u8' : q.activationType === 'int8' ? 's8s8' : 'u8s8') : 'u8s8';
  const isHost = !profile || profile.id === HOST_PROFILE_ID;
  const cpuTarget = !profile || profile.executionProviders[0] === 'cpu';
  const byIsa = cpuTarget ? formatByIsa(simd, stated) : { format: stated, reason: `int8 format ${stated.toUpperCase()} from the profile (its execution provider, ${profile?.executionProviders[0]}, runs it natively)` };
  const measured = isHost && host?.table ? formatByMeasurement(host.table, byIsa.format) : undefined;
  const choice = measured ?? byIsa;
  const format = choice.format;
  const x86 = isX86(simd);
  const dot = hasInt8DotProduct(simd);
  const reduceRange = format === 'u8s8' && x86 && !dot;
  const unmeasured = isHost && !measured && host ? ` (no measurement: ${host.why})` : '';
  return {
    mode: q ? q.mode : 'static',
    format,
    perChannel: q ? q.perChannel : true,
    reduceRange,
    // MSE-chosen clipping per tensor: +0.6 dB (mobilenet_v3_small) and +3.2 dB (mobilenet_v2) output SNR over minmax (quant-ablation bench)
    method: q ? q.calibration : 'mse',
    // measured off: keeping a lone Mul/GlobalAveragePool in float splits the integer chain with more Q/DQ pairs than it
    // saves (ppocr-mobile-cls 1.04x -> 0.66x and 34.0 -> 26.0 dB; mobilenet_v3_small 0.88x -> 0.63x in the quant-ablation bench)
    fusedOnly: false,
    source: `${profile ? `target profile "${profile.id}"` : 'this host'}; ${choice.reason}${unmeasured}`,
    reduceRangeReason: reduceRangeText(reduceRange, format, x86, dot, isHost ? host?.table : undefined),
    simd,
  };
}

/**
 * The defaults for a target id (or this host when none).
 * @throws StudioError `INVALID_REQUEST` for an unknown target id
 */
export async function quantDefaults(profiles: ProfileSource, targetId: string | undefined): Promise<QuantDefaults & { profile?: TargetProfile }> {
  const cpu = detectCpu();
  const host = !targetId || targetId === HOST_PROFILE_ID ? readHostInt8Table({ cpuModel: cpu.model, onnxruntimeVersion: ortVersion() }) : undefined;
  if (!targetId) return defaultsFor(undefined, cpu.simd, host);
  const { profile } = await profiles.get(targetId);
  return { ...defaultsFor(profile, cpu.simd, host), profile };
}
