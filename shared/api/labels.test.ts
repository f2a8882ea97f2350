/** Labels parsing (.txt lines, JSON lists and maps) and the preprocessing presets. */
import { describe, expect, it } from 'vitest';
import { parseLabelsText } from './labels';
import { channelRange, normalizationOf, withImagenetGeometry, withNormalization } from './preprocess-presets';

describe('parseLabelsText', () => {
  it('reads lines, dropping trailing blank ones', () => {
    expect(parseLabelsText('tench\r\ngoldfish\n\n')).toEqual(['tench', 'goldfish']);
  });
  it('reads JSON lists, index maps, name maps and Keras class indices', () => {
    expect(parseLabelsText('["a", "b"]')).toEqual(['a', 'b']);
    expect(parseLabelsText('{"1": "b", "0": "a", "3": "d"}')).toEqual(['a', 'b', 'class 2', 'd']);
    expect(parseLabelsText('{"cat": 1, "dog": 0}')).toEqual(['dog', 'cat']);
    expect(parseLabelsText('{"0": ["n01440764", "tench"]}')).toEqual(['tench']);
  });
  it('refuses empty text and JSON of another shape, saying what to give', () => {
    expect(() => parseLabelsText('  ')).toThrow(/one class name a line/);
    expect(() => parseLabelsText('{"a": "b"}')).toThrow(/JSON labels must be a list of names/);
    expect(() => parseLabelsText('[1, 2')).toThrow(/do not parse/);
  });
});

describe('preprocessing presets', () => {
  const base = { layout: 'NCHW' as const, channels: 'rgb' as const, scale: 255 };
  it('applies and recognises each preset', () => {
    for (const id of ['unit', 'signed', 'imagenet', 'raw'] as const) expect(normalizationOf(withNormalization(base, id))).toBe(id);
    expect(normalizationOf({ scale: 255, mean: [0.5], std: [0.25] })).toBe('custom');
    expect(withNormalization({ ...base, mean: [1, 2, 3], std: [1, 1, 1] }, 'unit')).toEqual(base);
  });
  it('gives ImageNet geometry and channel ranges', () => {
    expect(withImagenetGeometry(base, { width: 224, height: 224 })).toMatchObject({ resize: { width: 256, height: 256, mode: 'shorter' }, crop: { width: 224, height: 224 } });
    const [lo, hi] = channelRange(withNormalization(base, 'imagenet'), 0);
    expect(lo).toBeCloseTo(-2.118, 3);
    expect(hi).toBeCloseTo(2.249, 3);
  });
});
