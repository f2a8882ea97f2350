/** Pruning: a fast dry run of a pruning pass (what it would remove, per layer), for the Prune panel's preview. */
import { z } from 'zod';
import type { PrunePreviewDto } from '../prune/prune-report';
import { jobRequestFields } from './jobs';

export type { PrunePreviewDto } from '../prune/prune-report';

export const pruneRequests = {
  /**
   * Plans a pruning run without running the model: per-layer channels (or weights) before and after, params and MACs,
   * coupled groups and what blocks them. Options are the pass's own (`prune-channels` or `prune-magnitude`). Runs as a
   * job (large models take seconds).
   */
  previewPruning: z
    .object({
      modelId: z.string().min(1).max(200),
      pass: z.enum(['prune-channels', 'prune-magnitude']),
      options: z.record(z.string(), z.unknown()).default({}),
      /** the target whose channel multiple kept counts are rounded to (this host's when left out) */
      targetId: z.string().min(1).max(100).optional(),
      ...jobRequestFields,
    })
    .strict(),
} as const;

export interface PruneResponses {
  previewPruning: PrunePreviewDto;
}
