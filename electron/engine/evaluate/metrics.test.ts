// Metrics by hand-computed cases: top-k with ties, confusion, fidelity (SNR, cosine, agreement), expected match, Pareto.
import { describe, expect, it } from 'vitest';
import type { HostTensor } from '../runtime/backend';
import { ClassificationAccumulator, ExpectedAccumulator, FidelityAccumulator, MAX_CONFUSION_CLASSES, argmax, classRows, paretoFront, rankOf } from './metrics';

const f32 = (dims: number[], values: number[]): HostTensor => ({ dtype: 'float32', dims, data: Float32Array.from(values) });

describe('classification', () => {
  it('argmax and rank break ties by the lower index, NaN never wins', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([NaN, 0, -1])).toBe(1);
    expect(rankOf([1, 3, 3, 2], 2)).toBe(1);
    expect(rankOf([1, 3, 3, 2], 0)).toBe(3);
  });

  it('counts top-1, top-5 and the confusion matrix; refuses labels outside the classes', () => {
    const acc = new ClassificationAccumulator(6, ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(acc.add([0, 9, 1, 2, 3, 4], 1)).toBe(true); // top-1 hit
    expect(acc.add([9, 0, 1, 2, 3, 4], 2)).toBe(true); // rank 4: a top-5 hit
    expect(acc.add([9, 0, 1, 2, 3, 4], 1)).toBe(true); // rank 5: a miss
    expect(acc.add([9, 0, 1, 2, 3, 4], 6)).toBe(false);
    const r = acc.result();
    expect(r.count).toBe(3);
    expect(r.top1).toBeCloseTo(1 / 3);
    expect(r.top5).toBeCloseTo(2 / 3);
    expect(r.confusion[1][1]).toBe(1);
    expect(r.confusion[2][0]).toBe(1);
    expect(r.confusion[1][0]).toBe(1);
    expect(r.perClass.find((c) => c.index === 1)).toMatchObject({ count: 2, correct: 1, recall: 0.5 });
    expect(r.confusionClasses).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps the matrix of a 1000-class model to the classes that occur most', () => {
    const acc = new ClassificationAccumulator(1000, null);
    const scores = new Float64Array(1000);
    for (let i = 0; i < 60; i++) {
      scores.fill(0);
      scores[(i * 7) % 1000] = 1;
      acc.add(scores, i);
    }
    const r = acc.result();
    expect(r.confusionClasses).toHaveLength(MAX_CONFUSION_CLASSES);
    expect(r.confusion).toHaveLength(MAX_CONFUSION_CLASSES);
    expect(r.confusionNote).toMatch(/of the \d+ classes that occur \(of 1000\)/);
    expect(r.perClass).toHaveLength(60);
  });

  it('has no top-5 for fewer than five classes', () => {
    const acc = new ClassificationAccumulator(3, null);
    acc.add([1, 0, 0], 0);
    expect(acc.result().top5).toBeNull();
  });

  it('recognises class-score shapes', () => {
    expect(classRows({ dtype: 'float32', dims: [4, 10] })).toEqual({ rows: 4, classes: 10 });
    expect(classRows({ dtype: 'float32', dims: [2, 10, 1, 1] })).toEqual({ rows: 2, classes: 10 });
    expect(classRows({ dtype: 'float32', dims: [1, 3, 8, 8] })).toBeNull();
    expect(classRows({ dtype: 'string', dims: [1, 3] })).toBeNull();
  });
});

describe('fidelity', () => {
  it('is exact for identical outputs (SNR null, cosine 1, agreement 1)', () => {
    const acc = new FidelityAccumulator();
    acc.add(f32([2, 3], [1, 2, 3, 3, 2, 1]), f32([2, 3], [1, 2, 3, 3, 2, 1]), 2);
    expect(acc.result()).toEqual({ count: 2, agreementTop1: 1, cosine: 1, snrDb: null, maxAbsError: 0, meanAbsError: 0 });
  });

  it('computes SNR, errors and agreement by hand', () => {
    const acc = new FidelityAccumulator();
    // ref rows [3,4] and [1,0]; out rows [3,4.1] and [0,1]
    acc.add(f32([2, 2], [3, 4.1, 0, 1]), f32([2, 2], [3, 4, 1, 0]), 2);
    const r = acc.result();
    const signal = 9 + 16 + 1;
    const noise = 0.1 ** 2 + 1 + 1;
    expect(r.snrDb).toBeCloseTo(10 * Math.log10(signal / noise), 4);
    expect(r.agreementTop1).toBe(0.5);
    expect(r.maxAbsError).toBeCloseTo(1);
    expect(r.meanAbsError).toBeCloseTo((0.1 + 1 + 1) / 4, 5);
    const cos0 = (9 + 16.4) / (5 * Math.sqrt(9 + 4.1 ** 2));
    expect(r.cosine).toBeCloseTo((cos0 + 0) / 2, 5);
  });

  it('refuses outputs of another shape', () => {
    expect(() => new FidelityAccumulator().add(f32([1, 3], [1, 2, 3]), f32([1, 2], [1, 2]), 1)).toThrow(/shape/);
  });
});

describe('expected outputs', () => {
  it('matches within tolerance and reports the worst element otherwise', () => {
    const acc = new ExpectedAccumulator(1e-3, 1e-7);
    acc.add('set0', { y: f32([2], [1, 2]) }, { y: f32([2], [1.0005, 2]) });
    acc.add('set1', { y: f32([2], [1, 2.5]) }, { y: f32([2], [1, 2]) });
    acc.add('set2', {}, { y: f32([2], [1, 2]) });
    const r = acc.result();
    expect(r.count).toBe(3);
    expect(r.matched).toBe(1);
    expect(r.failures[0]).toMatchObject({ item: 'set1', output: 'y' });
    expect(r.failures[0].detail).toMatch(/element 1/);
    expect(r.failures[1].detail).toMatch(/did not produce/);
  });
});

describe('Pareto front', () => {
  it('keeps points no other point beats on both accuracy and latency', () => {
    const pts = [
      { accuracy: 0.9, latency: 10 },
      { accuracy: 0.88, latency: 5 },
      { accuracy: 0.85, latency: 6 }, // dominated by 1
      { accuracy: 0.9, latency: 12 }, // dominated by 0
      { accuracy: null, latency: 1 },
      { accuracy: 0.7, latency: 2 },
    ];
    expect(paretoFront(pts)).toEqual([5, 1, 0]);
  });
});
