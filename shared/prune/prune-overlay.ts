/** The graph view's "pruned fraction" overlay: per node, the share of its channels (or weights) pruning removes. */
import type { NodeOverlay } from '../graph/overlay';
import type { ChannelLayerDto, PreviewLayerDto } from './prune-report';

/** The overlay's id in the graph view's overlay list. */
export const PRUNED_OVERLAY_ID = 'pruned-fraction';

/**
 * Builds the overlay from a preview's layers or a channel report's layers.
 * @param layers - `before`/`after` (preview) or `outBefore`/`outAfter`/`inBefore`/`inAfter` (report)
 * @param title - what the overlay shows, e.g. `Pruned (preview)`
 * @returns values in percent, keyed by node name
 */
export function prunedOverlay(layers: ReadonlyArray<PreviewLayerDto | ChannelLayerDto>, title: string): NodeOverlay {
  const values: Record<string, number> = {};
  for (const l of layers) {
    let f = 0;
    if ('before' in l) f = l.before > 0 ? 1 - l.after / l.before : 0;
    else {
      if (l.outBefore) f = Math.max(f, 1 - (l.outAfter ?? l.outBefore) / l.outBefore);
      if (l.inBefore) f = Math.max(f, 1 - (l.inAfter ?? l.inBefore) / l.inBefore);
    }
    values[l.node] = Math.round(f * 1000) / 10;
  }
  return { id: PRUNED_OVERLAY_ID, title, unit: '%', values, scale: 'linear' };
}
