// Formatting of comparison figures: tones of deltas, CSV quoting, units.
import { describe, expect, it } from 'vitest';
import { accuracyDelta, accuracyTone, compareCsv, CSV_COLUMNS, pct, ratioDelta, ratioTone } from './compare-format';
import type { CompareRowDto } from '../api/evaluate-dto';

const row = (over: Partial<CompareRowDto>): CompareRowDto => ({
  name: 'a',
  modelPath: '/m.onnx',
  variantId: null,
  kind: 'original',
  isReference: true,
  accuracyTop1: 0.92,
  accuracyTop5: 1,
  agreementTop1: 1,
  snrDb: null,
  cosine: 1,
  maxAbsError: 0,
  meanAbsError: 0,
  expectedMatched: null,
  latencyMs: { p50: 1, p90: 2, p99: 3, mean: 1.5, min: 0.5, max: 4 },
  latenciesMs: [1, 2],
  throughput: 1000,
  sizeBytes: 2048,
  peakRssBytes: 0,
  macs: null,
  params: 10,
  confusion: null,
  confusionClasses: null,
  confusionNote: null,
  delta: { accuracyTop1: 0, latencyP50Ms: 0, latencyP50Ratio: 1, sizeBytes: 0, sizeRatio: 1 },
  recipe: null,
  ...over,
});

describe('compare format', () => {
  it('colours accuracy drops bad, faster and smaller good, noise neutral', () => {
    expect(accuracyTone(-0.02)).toBe('bad');
    expect(accuracyTone(0.0004)).toBe('neutral');
    expect(accuracyTone(null)).toBe('neutral');
    expect(ratioTone(0.7)).toBe('good');
    expect(ratioTone(1.2)).toBe('bad');
    expect(ratioTone(1.01)).toBe('neutral');
  });

  it('prints deltas and units', () => {
    expect(accuracyDelta(-0.06)).toBe('−6.0 pt');
    expect(ratioDelta(0.7)).toBe('×0.70 (−30 %)');
    expect(pct(null)).toBe('—');
  });

  it('writes CSV with a header, quoted names and empty cells for null', () => {
    const csv = compareCsv([row({ name: 'int8, "fast"', macs: null })]);
    const [head, line] = csv.trim().split('\r\n');
    expect(head.split(',')).toEqual([...CSV_COLUMNS]);
    expect(line.startsWith('"int8, ""fast""",original,true,0.92,1,1,,1,0,0,1,2,3,')).toBe(true);
  });
});
