// The search grid reads each registered pass's option schema: only valid recipes, data wired into calibration fields.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { findPass, registerPass } from '../optimize/pass';
import { registerBuiltinPasses } from '../optimize/passes';
import { buildSearchGrid, enumValues, schemaFields } from './search-grid';

describe('schema introspection', () => {
  it('reads fields through defaults and optionals, and enum values', () => {
    const s = z.object({ method: z.enum(['minmax', 'entropy']).default('minmax'), ratio: z.number().optional() }).strict();
    expect(Object.keys(schemaFields(s))).toEqual(['method', 'ratio']);
    expect(enumValues(schemaFields(s).method)).toEqual(['minmax', 'entropy']);
    expect(enumValues(schemaFields(s).ratio)).toBeUndefined();
  });
});

describe('buildSearchGrid', () => {
  it('makes only recipes the passes accept, with the dataset as calibration data', () => {
    registerBuiltinPasses();
    const { candidates, passes } = buildSearchGrid({ dataPath: '/data/images', pruneRatios: [0.25, 0.5] });
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) {
      for (const step of c.steps) expect(findPass(step.pass)?.options.safeParse(step.options).success, `${c.label}: ${step.pass}`).toBe(true);
    }
    expect(new Set(candidates.map((c) => c.label)).size).toBe(candidates.length);
    if (findPass('prune-channels')) {
      const p = candidates.find((c) => c.label === 'prune channels 50%');
      expect(p?.steps[0].options).toMatchObject({ sparsity: 0.5, calibration: { path: '/data/images' } });
      expect(passes).toContain('prune-channels');
    }
  });

  it('picks calibration methods from a quantization pass schema', () => {
    registerBuiltinPasses();
    if (findPass('quantize-static')) return; // the real pass is covered by the test above
    registerPass({
      id: 'quantize-static',
      title: 'test',
      produces: 'quantized',
      options: z.object({ method: z.enum(['minmax', 'percentile', 'entropy', 'mse']).default('minmax'), calibration: z.object({ path: z.string(), limit: z.number().optional() }).strict().optional() }).strict(),
      run: async () => {
        throw new Error('not run');
      },
    });
    const labels = buildSearchGrid({ dataPath: '/d', pruneRatios: [0.5] }).candidates.map((c) => c.label);
    expect(labels).toContain('int8 static (minmax)');
    expect(labels).toContain('int8 static (entropy)');
    expect(labels).not.toContain('int8 static (mse)');
  });
});
