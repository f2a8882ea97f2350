import { describe, expect, it } from 'vitest';
import { changeText, channelsRemovedText, removedShare } from './channel-count';

describe('channels removed: one definition', () => {
  it('is removed over before, the same figure for the preview and the result', () => {
    expect(removedShare(1000, 586)).toBeCloseTo(0.414, 6);
    expect(channelsRemovedText(1000, 586, null).headline).toBe('41.4 % of channels removed (1,000 → 586)');
    expect(removedShare(0, 0)).toBe(0);
  });
  it('explains a removed share that differs from the slider', () => {
    const t = channelsRemovedText(1000, 586, 0.5);
    expect(t.note).toContain('asked for 50.0 %');
    expect(t.note).toContain('blocked');
    expect(channelsRemovedText(1000, 500, 0.5).note).toBeNull();
  });
  it('writes a change as a signed share of before, never as the kept share', () => {
    expect(changeText(5800, 3400, 'params')).toBe('5.8 K params → 3.4 K params (−41.4 %)');
    expect(changeText(98_800, 99_500)).toBe('98.8 K → 99.5 K (+0.7 %)');
    expect(changeText(10, 10)).toBe('10 → 10 (±0.0 %)');
  });
});
