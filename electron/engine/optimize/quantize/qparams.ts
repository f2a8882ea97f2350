/** Quantization parameters: integer ranges per type, scale and zero point from a float range, rounding like onnxruntime. */

/** The 8-bit integer types activations and weights are quantized to. */
export type QType = 'uint8' | 'int8';

/** Per-tensor parameters of one quantized activation. */
export interface QParams {
  scale: number;
  zeroPoint: number;
  type: QType;
}

/** The integer range a type uses. */
export interface QRange {
  qmin: number;
  qmax: number;
}

/**
 * The integer range of a quantized type.
 * @param type - uint8 or int8
 * @param symmetric - int8 symmetric uses [-127, 127] so that zero is exactly in the middle
 * @param reduceRange - 7-bit range (weights on AVX2 without VNNI, where u8×s8 pairs can saturate)
 */
export function qRange(type: QType, symmetric: boolean, reduceRange = false): QRange {
  if (type === 'uint8') return reduceRange ? { qmin: 0, qmax: 127 } : { qmin: 0, qmax: 255 };
  if (reduceRange) return { qmin: -64, qmax: 64 };
  return symmetric ? { qmin: -127, qmax: 127 } : { qmin: -128, qmax: 127 };
}

/** Rounds half to even, as onnxruntime's QuantizeLinear does (std::nearbyint). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The smallest scale kept; ranges narrower than this (constant tensors) get scale 1. */
const MIN_SCALE = 1e-30;

/**
 * Scale and zero point covering a float range.
 * @param rmin - the range's low end (widened to include 0)
 * @param rmax - the range's high end (widened to include 0)
 * @param type - the integer type
 * @param symmetric - make the range symmetric around 0 (zero point in the middle of the type)
 * @param reduceRange - use a 7-bit range
 * @returns the parameters; scale is a float32 value
 */
export function computeQParams(rmin: number, rmax: number, type: QType, symmetric: boolean, reduceRange = false): QParams {
  let lo = Math.min(rmin, 0);
  let hi = Math.max(rmax, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = Number.isFinite(lo) ? lo : -1;
    hi = Number.isFinite(hi) ? hi : 1;
  }
  const { qmin, qmax } = qRange(type, symmetric, reduceRange);
  if (symmetric) {
    const abs = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -abs;
    hi = abs;
  }
  let scale = Math.fround((hi - lo) / (qmax - qmin));
  if (!(scale > MIN_SCALE)) return { scale: 1, zeroPoint: symmetric ? roundHalfEven((qmin + qmax) / 2) : qmin, type };
  if (symmetric) return { scale, zeroPoint: roundHalfEven((qmin + qmax) / 2), type };
  let zp = roundHalfEven(qmin - lo / scale);
  zp = Math.max(qmin, Math.min(qmax, zp));
  scale = Math.fround(scale);
  return { scale, zeroPoint: zp, type };
}

/**
 * Quantizes one value.
 * @returns the integer, saturated to the type's full range
 */
export function quantizeValue(x: number, p: QParams): number {
  const { qmin, qmax } = qRange(p.type, false);
  const q = roundHalfEven(x / p.scale) + p.zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** The float a quantized activation represents after a round trip (what DequantizeLinear(QuantizeLinear(x)) gives). */
export function fakeQuantize(x: number, p: QParams): number {
  return (quantizeValue(x, p) - p.zeroPoint) * p.scale;
}

/** @returns the float range a set of parameters can represent. */
export function representableRange(p: QParams): { lo: number; hi: number } {
  const { qmin, qmax } = qRange(p.type, false);
  return { lo: (qmin - p.zeroPoint) * p.scale, hi: (qmax - p.zeroPoint) * p.scale };
}
