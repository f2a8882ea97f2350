/**
 * The one definition of "channels removed" (and of a before → after change) that the prune slider, the preview and a
 * pruned variant's report all use.
 * @remarks Channels removed = output channels of the prunable layers before minus after, over before: the layers of
 * every coupled group, blocked ones included (they keep all of theirs). The slider asks for a share of each group's
 * channels; blocked groups and rounding to the channel multiple make the removed share differ, and the figures say so.
 */
import { formatCount } from '../format/count';

/** @returns the removed share, 0..1 (0 when there was nothing to remove). */
export function removedShare(before: number, after: number): number {
  return before > 0 ? Math.max(0, 1 - after / before) : 0;
}

/** @returns a share as `41.4 %`. */
function share(v: number): string {
  return `${(100 * v).toFixed(1)} %`;
}

/**
 * @returns `5.8 K → 3.4 K (−41.4 %)`: a count before and after, and the change as a signed share of before
 * @param unit - written after both counts (`params`, `MACs`)
 */
export function changeText(before: number, after: number, unit = ''): string {
  const d = before > 0 ? (after - before) / before : 0;
  const sign = d < 0 ? '−' : d > 0 ? '+' : '±';
  return `${formatCount(before, unit)} → ${formatCount(after, unit)} (${sign}${(100 * Math.abs(d)).toFixed(1)} %)`;
}

/**
 * The headline of a channel pruning: how many channels go, and how that relates to what the slider asked.
 * @param before - output channels of the prunable layers before
 * @param after - and after
 * @param asked - the slider's per-group share, or null when the amount was not a per-group share (global targets)
 * @returns `41.4 % of channels removed (1 234 → 723)` and, when it differs from the ask, why
 */
export function channelsRemovedText(before: number, after: number, asked: number | null): { headline: string; note: string | null } {
  const removed = removedShare(before, after);
  const headline = `${share(removed)} of channels removed (${before.toLocaleString('en-US')} → ${after.toLocaleString('en-US')})`;
  if (asked === null || Math.abs(asked - removed) < 0.005) return { headline, note: null };
  const why =
    removed < asked
      ? 'blocked structures keep all their channels, and kept counts round to the channel multiple'
      : 'kept counts round to the channel multiple';
  return { headline, note: `The slider asked for ${share(asked)} of each group's channels; ${why}.` };
}
