/** Weight and bias quantization: symmetric int8 per channel or per tensor, bias to int32 at input × weight scale. */
import { qRange, roundHalfEven } from './qparams';

/** A quantized weight. */
export interface QuantizedWeight {
  /** int8 values, or uint8 values with zero point 128 */
  data: Int8Array | Uint8Array;
  zeroPoint: 0 | 128;
  /** one per channel (per-channel) or a single value */
  scales: Float32Array;
  /** the channel axis, or null for per-tensor */
  axis: number | null;
}

/** Largest bias integer allowed (a margin under int32's limit keeps accumulations safe). */
export const BIAS_LIMIT = 2 ** 31 - 1 - 2 ** 20;

/** @returns [outer, channels, inner] sizes of a shape around an axis. */
export function channelLayout(dims: readonly number[], axis: number | null): { outer: number; channels: number; inner: number } {
  if (axis === null) return { outer: 1, channels: 1, inner: dims.reduce((a, b) => a * b, 1) };
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { outer, channels: dims[axis], inner };
}

/** @returns the largest absolute value of each channel. */
export function channelAbsMax(values: ArrayLike<number>, dims: readonly number[], axis: number | null): Float64Array {
  const { outer, channels, inner } = channelLayout(dims, axis);
  const out = new Float64Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let m = out[c];
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const v = Math.abs(values[base + i]);
        if (v > m) m = v;
      }
      out[c] = m;
    }
  }
  return out;
}

/**
 * Quantizes a weight to symmetric int8.
 * @param values - float values, row-major
 * @param dims - the weight's shape
 * @param axis - channel axis for per-channel scales, null for one scale
 * @param reduceRange - 7-bit range ([-64, 64])
 * @param minScales - per channel, a scale not to go under (keeps the int32 bias in range)
 * @param type - int8 (zero point 0), or uint8 with zero point 128 (U8U8 kernels, which never saturate on AVX2)
 */
export function quantizeWeight(
  values: ArrayLike<number>,
  dims: readonly number[],
  axis: number | null,
  reduceRange: boolean,
  minScales?: Float64Array,
  type: 'int8' | 'uint8' = 'int8',
): QuantizedWeight {
  const { qmax } = qRange('int8', true, reduceRange);
  const absMax = channelAbsMax(values, dims, axis);
  const { outer, channels, inner } = channelLayout(dims, axis);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let s = absMax[c] / qmax;
    if (minScales && minScales[c] > s) s = minScales[c];
    scales[c] = s > 0 && Number.isFinite(s) ? s : 1;
  }
  const zeroPoint = type === 'uint8' ? 128 : 0;
  const data = type === 'uint8' ? new Uint8Array(values.length) : new Int8Array(values.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const inv = 1 / scales[c];
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const q = roundHalfEven(values[base + i] * inv);
        data[base + i] = (q > qmax ? qmax : q < -qmax ? -qmax : q) + zeroPoint;
      }
    }
  }
  return { data, zeroPoint, scales, axis };
}

/**
 * The weight scales the bias needs so that bias / (inputScale × weightScale) fits in int32.
 * @param bias - float bias, one per output channel
 * @param inputScale - the activation's scale
 * @param channels - the weight's channel count (per-channel) or 1
 */
export function minWeightScalesForBias(bias: ArrayLike<number>, inputScale: number, channels: number): Float64Array {
  const out = new Float64Array(channels);
  for (let i = 0; i < bias.length; i++) {
    const c = channels === 1 ? 0 : i;
    const need = Math.abs(bias[i]) / (inputScale * BIAS_LIMIT);
    if (need > out[c]) out[c] = need;
  }
  return out;
}

/**
 * Tells whether a bias's minimum scales raise any of the weight's own scales (absolute maximum over qmax): only then is
 * the weight quantized differently for this node than for another reading it.
 */
export function raisesScales(values: ArrayLike<number>, dims: readonly number[], axis: number | null, reduceRange: boolean, minScales: Float64Array): boolean {
  const { qmax } = qRange('int8', true, reduceRange);
  const absMax = channelAbsMax(values, dims, axis);
  for (let c = 0; c < absMax.length; c++) if (minScales[c] > absMax[c] / qmax) return true;
  return false;
}

/**
 * Quantizes a bias to int32 with zero point 0.
 * @param bias - float bias (length = output channels)
 * @param inputScale - scale of the activation feeding the op
 * @param weightScales - the weight's scales (one, or one per channel)
 * @returns the integers and their scales (one per element when the weight is per-channel)
 */
export function quantizeBias(bias: ArrayLike<number>, inputScale: number, weightScales: Float32Array): { data: Int32Array; scales: Float32Array } {
  const perChannel = weightScales.length > 1;
  const scales = new Float32Array(perChannel ? bias.length : 1);
  for (let i = 0; i < scales.length; i++) scales[i] = Math.fround(inputScale * weightScales[perChannel ? i : 0]);
  const data = new Int32Array(bias.length);
  for (let i = 0; i < bias.length; i++) {
    const s = scales[perChannel ? i : 0];
    const q = s > 0 ? roundHalfEven(bias[i] / s) : 0;
    data[i] = Math.max(-BIAS_LIMIT, Math.min(BIAS_LIMIT, q));
  }
  return { data, scales };
}
