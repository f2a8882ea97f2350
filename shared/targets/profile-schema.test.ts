/** The profile schema: a good profile passes; a bad one is refused with the field named. */
import { describe, expect, it } from 'vitest';
import { parseProfile, type TargetProfile } from './profile-schema';

const good: TargetProfile = {
  schemaVersion: 1,
  id: 'test-board',
  name: 'Test board',
  description: 'A board for tests. Sources: none, this is a fixture.',
  sources: ['tests'],
  deviceClass: 'edge-arm-cpu',
  hardware: { cores: 4 },
  executionProviders: ['cpu'],
  threads: { intraOp: 4, interOp: 1 },
  graphOptimizationLevel: 'all',
  precisions: { supported: ['fp32', 'int8'], preferred: 'int8' },
  memoryBudgetBytes: 2 ** 30,
  storageBudgetBytes: 2 ** 31,
  peakGops: { fp32: 100, int8: 400 },
  memoryBandwidthGBs: 10,
  unsupportedOps: [],
  recipeDefaults: {
    quantization: { mode: 'static', format: 'qdq', weightType: 'int8', activationType: 'uint8', perChannel: true, calibration: 'minmax' },
    fp16: false,
    pruningCeiling: 0.5,
  },
};

describe('parseProfile', () => {
  it('accepts a complete profile', () => {
    expect(parseProfile(good).ok).toBe(true);
  });

  it.each([
    [{ ...good, memoryBudgetBytes: '1 GB' }, 'memoryBudgetBytes'],
    [{ ...good, id: 'Has Spaces' }, 'id'],
    [{ ...good, executionProviders: ['cpu', 'gpu'] }, 'executionProviders.1'],
    [{ ...good, precisions: { supported: ['fp32'], preferred: 'int8' } }, 'precisions.preferred'],
    [{ ...good, peakGops: { fp32: 100 } }, 'peakGops.int8'],
    [{ ...good, threads: { intraOp: -1, interOp: 1 } }, 'threads.intraOp'],
  ])('refuses a bad field and names it (%#)', (value, field) => {
    const r = parseProfile(value);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message).toContain(`"${field}"`);
    }
  });

  it('refuses unknown fields', () => {
    const r = parseProfile({ ...good, memoryBudget: 5 });
    expect(r.ok ? '' : r.message).toContain('memoryBudget');
  });
});
