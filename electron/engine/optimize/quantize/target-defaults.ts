/** Quantization defaults from a target profile (or this host's CPU): mode, int8 format, reduce-range, calibration. */
import type { TargetProfile } from '../../../../shared/targets/profile-schema';
import { detectCpu } from '../../runtime/cpu-info';
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
  /** where the defaults came from, for reports and the GUI */
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

/**
 * The defaults for a profile's SIMD features.
 * @param profile - the target profile, when one was chosen
 * @param hostSimd - this host's SIMD flags (used without a profile, or for a profile without SIMD facts)
 */
export function defaultsFor(profile: TargetProfile | undefined, hostSimd: readonly string[]): QuantDefaults {
  const q = profile?.recipeDefaults.quantization;
  const simd = profile?.hardware.simd?.length ? profile.hardware.simd : [...hostSimd];
  const format: QuantFormat = q ? (q.weightType === 'uint8' ? 'u8u8' : q.activationType === 'int8' ? 's8s8' : 'u8s8') : 'u8s8';
  const x86 = simd.includes('avx2') || simd.includes('avx') || simd.includes('avx512f');
  const dot = hasInt8DotProduct(simd);
  const reduceRange = format === 'u8s8' && x86 && !dot;
  const reduceRangeReason = reduceRange
    ? 'x86 without VNNI: u8×s8 products are summed in 16 bits (VPMADDUBSW) and can saturate, so weights use 7 bits'
    : format !== 'u8s8'
      ? `${format.toUpperCase()} kernels do not saturate`
      : dot
        ? 'the CPU has int8 dot-product instructions (no saturation)'
        : 'not an x86 CPU';
  return {
    mode: q ? q.mode : 'static',
    format,
    perChannel: q ? q.perChannel : true,
    reduceRange,
    method: q ? q.calibration : 'minmax',
    source: profile ? `target profile "${profile.id}"` : 'this host',
    reduceRangeReason,
    simd,
  };
}

/**
 * The defaults for a target id (or this host when none).
 * @throws StudioError `INVALID_REQUEST` for an unknown target id
 */
export async function quantDefaults(profiles: ProfileSource, targetId: string | undefined): Promise<QuantDefaults & { profile?: TargetProfile }> {
  const host = detectCpu().simd;
  if (!targetId) return defaultsFor(undefined, host);
  const { profile } = await profiles.get(targetId);
  return { ...defaultsFor(profile, host), profile };
}
