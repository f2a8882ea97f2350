/** Unit tests of quantization parameters and weight/bias quantization. */
import { describe, expect, it } from 'vitest';
import { computeQParams, fakeQuantize, qRange, roundHalfEven } from './qparams';
import { minWeightScalesForBias, quantizeBias, quantizeWeight } from './weight-quant';

describe('quantization parameters', () => {
  it('rounds half to even like QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('maps an asymmetric range onto uint8 with zero exactly representable', () => {
    const p = computeQParams(0, 2.55, 'uint8', false);
    expect(p.zeroPoint).toBe(0);
    expect(p.scale).toBeCloseTo(0.01, 6);
    const q = computeQParams(-1, 3, 'uint8', false);
    expect(fakeQuantize(0, q)).toBe(0);
    expect(q.zeroPoint).toBe(64);
  });

  it('centres symmetric ranges: int8 at 0, uint8 at 128', () => {
    expect(computeQParams(-2, 1, 'int8', true)).toMatchObject({ zeroPoint: 0 });
    expect(computeQParams(-2, 1, 'int8', true).scale).toBeCloseTo(2 / 127, 6);
    expect(computeQParams(-2, 1, 'uint8', true).zeroPoint).toBe(128);
  });

  it('widens a range to include zero and survives an empty one', () => {
    expect(computeQParams(1, 3, 'uint8', false).zeroPoint).toBe(0);
    expect(computeQParams(0, 0, 'uint8', false)).toEqual({ scale: 1, zeroPoint: 0, type: 'uint8' });
  });

  it('keeps the round-trip error within half a step inside the range', () => {
    const p = computeQParams(-3, 5, 'int8', false);
    for (let x = -3; x <= 5; x += 0.013) expect(Math.abs(fakeQuantize(x, p) - x)).toBeLessThanOrEqual(p.scale / 2 + 1e-6);
  });

  it('uses 7 bits with reduce-range', () => {
    expect(qRange('int8', true, true)).toEqual({ qmin: -64, qmax: 64 });
    expect(qRange('uint8', false, true)).toEqual({ qmin: 0, qmax: 127 });
  });
});

describe('weight and bias quantization', () => {
  const w = Float32Array.from([0.5, -1, 0.25, 0.1, 2, -0.4]); // 2 output channels of 3

  it('gives one scale per output channel, absmax / 127', () => {
    const q = quantizeWeight(w, [2, 3], 0, false);
    expect([...q.scales].map((s) => s * 127)).toEqual([expect.closeTo(1, 6), expect.closeTo(2, 6)]);
    expect([...q.data]).toEqual([64, -127, 32, 6, 127, -25]);
    for (let i = 0; i < 6; i++) expect(Math.abs(q.data[i] * q.scales[Math.floor(i / 3)] - w[i])).toBeLessThanOrEqual(q.scales[Math.floor(i / 3)] / 2 + 1e-7);
  });

  it('uses [-64, 64] with reduce-range and zero point 128 for uint8 weights', () => {
    expect(quantizeWeight(w, [2, 3], 0, true).scales[1] * 64).toBeCloseTo(2, 6);
    const u = quantizeWeight(w, [2, 3], null, false, undefined, 'uint8');
    expect(u.zeroPoint).toBe(128);
    expect(u.data[4]).toBe(255);
    expect(u.scales).toHaveLength(1);
  });

  it('quantizes a bias to int32 at input scale × weight scale, raising weight scales the bias would overflow', () => {
    const q = quantizeWeight(w, [2, 3], 0, false);
    const b = quantizeBias(Float32Array.from([0.3, -0.7]), 0.05, q.scales);
    expect(b.scales[0]).toBeCloseTo(0.05 * q.scales[0], 9);
    expect(b.data[1]).toBe(Math.round(-0.7 / b.scales[1]));
    const min = minWeightScalesForBias(Float32Array.from([1e6, 1]), 1e-6, 2);
    expect(min[0] * 1e-6 * (2 ** 31 - 1)).toBeGreaterThan(1e6);
    expect(min[1]).toBeLessThan(1e-3);
  });
});
