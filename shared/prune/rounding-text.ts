/** The sentences that say how kept channel counts were rounded, for the CLI, the preview and the report view. */
import type { ChannelRoundingDto } from './prune-report';

/**
 * What the rounding did and where the multiple came from.
 * @returns the headline ("kept channel counts rounded to multiples of 16 for AVX-512: 45 → 48, 90 → 96 channels …")
 * and the source ("target "host", measured on this host: …")
 */
export function roundingText(r: ChannelRoundingDto): { headline: string; why: string } {
  const why = r.from === 'user' ? r.source : `target "${r.target}": ${r.source}`;
  if (r.multiple <= 1) return { headline: 'kept channel counts not rounded to a channel multiple', why };
  const pairs = [...new Map(r.changes.map((c) => [`${c.unrounded}→${c.kept}`, c])).values()].slice(0, 4);
  const forWhat = r.from === 'user' || !r.isa ? '' : ` for ${r.isa}`;
  const examples = pairs.length ? `: ${pairs.map((c) => `${c.unrounded} → ${c.kept}`).join(', ')} channels (${r.changedLayers} layer${r.changedLayers === 1 ? '' : 's'} changed)` : ' (the ratio already kept multiples)';
  return { headline: `kept channel counts rounded to multiples of ${r.multiple}${forWhat}${examples}`, why };
}
