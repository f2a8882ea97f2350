/** Dimension algebra: symbolic products, exact division, broadcasting, evaluation with sizes. */
import { describe, expect, it } from 'vitest';
import { addDims, broadcastShapes, divDims, evalDim, mulDims, productDims, sameDim, substituteDim } from './dims';

describe('dims', () => {
  it('multiplies and divides symbols exactly', () => {
    expect(mulDims('batch', 16)).toBe('16*batch');
    expect(mulDims(mulDims('batch', 4), 'seq')).toBe('4*batch*seq');
    expect(divDims(productDims(['batch', 3, 224, 224]), 3 * 224 * 224)).toBe('batch');
    expect(divDims('4*batch*seq', mulDims(4, 'seq'))).toBe('batch');
    expect(divDims('batch', 3)).toBeNull();
    expect(divDims(10, 4)).toBeNull();
    expect(mulDims(null, 3)).toBeNull();
  });

  it('adds like terms only', () => {
    expect(addDims('n', 'n')).toBe('2*n');
    expect(addDims(3, 4)).toBe(7);
    expect(addDims('n', 'm')).toBeNull();
    expect(addDims(0, 'n')).toBe('n');
  });

  it('broadcasts numpy-style, keeping symbols', () => {
    expect(broadcastShapes([['batch', 1, 64], [16, 64]])).toEqual(['batch', 16, 64]);
    expect(broadcastShapes([[3, 1], [1, 4]])).toEqual([3, 4]);
    expect(broadcastShapes([['n'], [1]])).toEqual(['n']);
    expect(broadcastShapes([['n'], ['m']])).toEqual([null]);
    expect(broadcastShapes([[3], [4]])).toBeNull();
    expect(broadcastShapes([[2, 3], null])).toBeNull();
  });

  it('evaluates and substitutes sizes', () => {
    expect(evalDim('4*batch*seq', { batch: 2, seq: 8 })).toBe(64);
    expect(evalDim('batch', {})).toBe(1);
    expect(evalDim(null, {})).toBeUndefined();
    expect(substituteDim('4*batch*seq', { batch: 2 })).toBe('8*seq');
    expect(sameDim('seq*batch', 'batch*seq')).toBe(true);
  });
});
