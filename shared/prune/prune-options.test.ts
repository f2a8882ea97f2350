/** Pruning options: layer patterns and schema defaults. */
import { describe, expect, it } from 'vitest';
import { layerMatcher, PruneChannelsOptionsSchema } from './prune-options';

describe('prune options', () => {
  it('matches layer names exactly or with * wildcards', () => {
    const m = layerMatcher(['/conv1/Conv', '*downsample*']);
    expect(m('/conv1/Conv')).toBe('/conv1/Conv');
    expect(m('/conv1/Conv_1')).toBeUndefined();
    expect(m('/layer2/layer2.0/downsample/downsample.0/Conv')).toBe('*downsample*');
    expect(layerMatcher(['a.b'])('axb')).toBeUndefined();
  });

  it('fills defaults and refuses unknown options', () => {
    expect(PruneChannelsOptionsSchema.parse({})).toMatchObject({ sparsity: 0.3, criterion: 'l2', global: false, recover: false, foldBatchNorm: true });
    expect(PruneChannelsOptionsSchema.safeParse({ ratio: 0.3 }).success).toBe(false);
  });
});
