import { describe, expect, it } from 'vitest';
import { isQuantizedGraph, pruneRefusal, QUANTIZED_REFUSAL } from './prune-refusal';

describe('pruneRefusal', () => {
  it('refuses a quantized variant with the reason, whatever the amount', () => {
    expect(pruneRefusal({ kind: 'quantized', recipe: null }, { method: 'channel', sparsity: 0.5 })).toBe(QUANTIZED_REFUSAL);
    expect(pruneRefusal({ kind: 'pruned', recipe: { steps: [{ pass: 'quantize-static' }, { pass: 'prune-channels' }] } }, { method: 'channel', sparsity: 0.5 })).toContain('not supported');
  });
  it('refuses a 0 % run of either method, but not an N:M pattern', () => {
    expect(pruneRefusal(null, { method: 'channel', sparsity: 0 })).toContain('0 %');
    expect(pruneRefusal(null, { method: 'magnitude', sparsity: 0 })).toContain('0 %');
    expect(pruneRefusal(null, { method: 'magnitude', sparsity: 0, nm: '2:4' })).toBeNull();
  });
  it('lets a float variant with a positive amount run', () => {
    expect(pruneRefusal({ kind: 'original', recipe: null }, { method: 'channel', sparsity: 0.3 })).toBeNull();
    expect(pruneRefusal({ kind: 'optimized', recipe: { steps: [{ pass: 'graph-optimize' }] } }, { method: 'magnitude', sparsity: 0.5 })).toBeNull();
  });
});

describe('isQuantizedGraph', () => {
  it('sees QDQ pairs and integer kernels', () => {
    expect(isQuantizedGraph(['Conv', 'DequantizeLinear'])).toBe(true);
    expect(isQuantizedGraph(['ConvInteger'])).toBe(true);
    expect(isQuantizedGraph(['Conv', 'Relu', 'Gemm'])).toBe(false);
  });
});
