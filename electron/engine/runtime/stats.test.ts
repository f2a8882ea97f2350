/** Unit tests of latency statistics, top-k with softmax, float16 bits and the profile parser. */
import { describe, expect, it } from 'vitest';
import { floatToHalfBits, halfBitsToFloat } from './host-tensor';
import { graphNodeMapper, parseProfile } from './profile-parse';
import { latencyStats, percentile, summarizeTensor, topK } from './stats';

describe('latency statistics', () => {
  it('interpolates percentiles like numpy and reports mean, std, min, max', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    const s = latencyStats([4, 1, 3, 2, 5]);
    expect(s).toMatchObject({ p50: 3, min: 1, max: 5, mean: 3 });
    expect(s.std).toBeCloseTo(Math.sqrt(2), 12);
    expect(s.p99).toBeCloseTo(4.96, 12);
  });
});

describe('top-k', () => {
  it('applies softmax to logits and keeps probabilities as they are', () => {
    const logits = topK([1, 3, 2], 2, ['a', 'b', 'c']);
    expect(logits.softmaxApplied).toBe(true);
    expect(logits.top.map((t) => t.label)).toEqual(['b', 'c']);
    expect(logits.top[0].probability).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    const probs = topK([0.1, 0.7, 0.2], 1);
    expect(probs.softmaxApplied).toBe(false);
    expect(probs.top[0]).toEqual({ index: 1, label: null, score: 0.7, probability: 0.7 });
  });

  it('summarises class-score outputs with top-k and other outputs without', () => {
    const scores = summarizeTensor('logits', { dtype: 'float32', dims: [1, 3], data: new Float32Array([0, 5, 1]) }, 2);
    expect(scores.top?.[0].index).toBe(1);
    expect(scores.stats).toMatchObject({ min: 0, max: 5, nanCount: 0 });
    const map = summarizeTensor('features', { dtype: 'float32', dims: [1, 2, 2, 2], data: new Float32Array(8) }, 5);
    expect(map.top).toBeNull();
  });
});

describe('float16 bits', () => {
  it('round-trips representable values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8]) expect(halfBitsToFloat(floatToHalfBits(v))).toBe(v);
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(halfBitsToFloat(floatToHalfBits(1e6))).toBe(Infinity);
    expect(Number.isNaN(halfBitsToFloat(floatToHalfBits(NaN)))).toBe(true);
  });
});

describe('profile parser', () => {
  const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', ts, dur });
  const node = (name: string, op: string, ts: number, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op, provider: 'CPUExecutionProvider' } });
  const events = [
    run(0, 100),
    node('conv_a', 'Conv', 10, 90),
    run(200, 100),
    node('conv_a', 'Conv', 210, 60),
    node('relu_out_nchwc', 'Relu', 280, 20),
    run(400, 100),
    node('conv_a', 'Conv', 410, 40),
    node('relu_out_nchwc', 'Relu', 460, 40),
  ];

  it('averages node time over the runs after the skipped warm-up and sorts it', () => {
    const p = parseProfile(events, 1);
    expect(p.runs).toBe(2);
    expect(p.nodes.map((n) => n.name)).toEqual(['conv_a', 'relu_out_nchwc']);
    expect(p.nodes[0].meanMs).toBeCloseTo(0.05, 12);
    expect(p.nodes[0].provider).toBe('CPU');
    expect(p.totalMs).toBeCloseTo(0.08, 12);
    expect(p.opTypes[0]).toMatchObject({ opType: 'Conv', nodes: 1 });
    expect(p.opTypes[0].share).toBeCloseTo(0.625, 12);
  });

  it('maps renamed and fused nodes back to the model', () => {
    const map = graphNodeMapper([
      { name: 'conv_a', output: ['a_out'] },
      { name: 'relu', output: ['relu_out'] },
    ]);
    expect(map('conv_a')).toBe('conv_a');
    expect(map('relu_out_nchwc')).toBe('relu');
    expect(map('fused conv_a')).toBe('conv_a');
    expect(map('ReorderOutput')).toBeNull();
  });
});
