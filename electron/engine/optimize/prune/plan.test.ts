/** How many channels a group loses for a ratio when kept counts are rounded to a channel multiple. */
import { describe, expect, it } from 'vitest';
import { removalCount } from './plan';

describe('removalCount', () => {
  it('keeps the ratio exactly without rounding', () => {
    expect(removalCount(64, 0.3, 1)).toBe(19);
    expect(removalCount(512, 0.3, 1)).toBe(154);
  });

  it('keeps a multiple of the channel multiple (45 → 48, 358 → 352 of resnet18 at 30 %)', () => {
    expect(64 - removalCount(64, 0.3, 16)).toBe(48);
    expect(128 - removalCount(128, 0.3, 16)).toBe(96);
    expect(256 - removalCount(256, 0.3, 16)).toBe(176);
    expect(512 - removalCount(512, 0.3, 16)).toBe(352);
    expect(64 - removalCount(64, 0.3, 8)).toBe(48);
  });

  it('leaves a layer with fewer channels than the multiple whole, and never empties one', () => {
    expect(removalCount(12, 0.5, 16)).toBe(0);
    expect(removalCount(32, 0.9, 16)).toBe(16);
    expect(removalCount(4, 0.9, 1)).toBe(3);
  });
});
