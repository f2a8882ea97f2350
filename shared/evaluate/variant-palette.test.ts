import { describe, expect, it } from 'vitest';
import { rowColorKey, VARIANT_COLORS, variantColors } from './variant-palette';

describe('variant palette', () => {
  it('gives every variant of a chart its own colour', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `var-${i}`);
    expect(new Set(variantColors(keys)).size).toBe(10);
    expect(new Set(variantColors(['orig-1', 'var-a', 'var-b'])).size).toBe(3);
  });
  it('keeps a variant\'s colour from one chart to the next', () => {
    const alone = variantColors(['var-abc'])[0];
    expect(variantColors(['var-abc', 'var-x'])[0]).toBe(alone);
    expect(VARIANT_COLORS).toContain(alone);
  });
  it('keys rows by variant id, else name', () => {
    expect(rowColorKey({ variantId: 'var-1', name: 'int8' })).toBe('var-1');
    expect(rowColorKey({ variantId: null, name: 'model.onnx' })).toBe('model.onnx');
  });
});
