import { describe, expect, it } from 'vitest';
import type { Score } from './accuracy';
import { fidelityValue, planFidelity, shortfall } from './fidelity';

const score = (o: Partial<Score>): Score => ({ metric: 'agreement', value: 100, outputSnrDb: null, agreement: 100, count: 10, ...o });

describe('the fidelity metric', () => {
  it('reads [batch, classes] as class scores (agreement, 97 %) and maps or sequences as signals (SNR, 20 dB)', () => {
    expect(planFidelity([-1, 10], 'auto')).toMatchObject({ metric: 'agreement', min: 97 });
    expect(planFidelity([-1, 1, -1, -1], 'auto')).toMatchObject({ metric: 'snr', min: 20 });
    expect(planFidelity([-1, -1, 6625], 'auto').why).toMatch(/dense map or sequence/);
    expect(planFidelity(undefined, 'auto').metric).toBe('snr');
    expect(planFidelity([-1, 1], 'auto').metric).toBe('snr');
  });

  it('takes the user\'s metric and thresholds', () => {
    expect(planFidelity([-1, 10], 'snr', { minSnrDb: 30 })).toMatchObject({ metric: 'snr', min: 30 });
    expect(planFidelity([-1, 1, 8, 8], 'top5', { minAgreement: 99 })).toMatchObject({ metric: 'top5', min: 99 });
  });

  it('counts an identical output as met and an unmeasured SNR as not met', () => {
    const snr = planFidelity([-1, 1, 8, 8], 'auto');
    expect(shortfall(score({ outputSnrDb: null, cosine: 1 }), snr)).toBe(-Infinity);
    expect(shortfall(score({ outputSnrDb: null, cosine: null }), snr)).toBe(Infinity);
    expect(shortfall(score({ outputSnrDb: 12, cosine: 0.9 }), snr)).toBeCloseTo(8);
    expect(fidelityValue(score({ metric: 'top1', value: 91, agreement: 96 }), 'top1')).toBe(91);
    expect(shortfall(score({ agreement: 96 }), planFidelity([-1, 10], 'auto'))).toBeCloseTo(1);
  });
});
