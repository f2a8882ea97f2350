/** Chooses the channel classes to remove: a ratio per group, or a global ranking to a channel, params or MACs target. */
import { roundKept } from '../../../../shared/targets/channel-multiple';
import type { ChannelGraph } from './channel-graph';
import type { ChannelGroup, Grouping } from './groups';

export interface PlanOptions {
  /** the fraction to remove: of each group's channels, or (global) of the channels, params or MACs */
  ratio: number;
  global: boolean;
  target: 'channels' | 'params' | 'macs';
  /** kept channel counts are rounded to a multiple of this (1: no rounding) */
  roundTo: number;
  /** global mode never removes more than this fraction of one group */
  maxGroupRatio: number;
  /** groups left alone (layers to skip) */
  skipGroups: ReadonlySet<number>;
}

/** What a plan removes, with a cost estimate. */
export interface Plan {
  /** 1 at the union-find root of each removed class */
  removed: Uint8Array;
  removedClasses: number;
}

/** Estimated params and MACs of the model after removing a set of classes. */
export type CostEstimate = (removed: Uint8Array) => { params: number; macs: number };

/** Tracks removals under the rule that every source and Split part keeps at least one channel. */
class Remover {
  readonly removed: Uint8Array;
  private readonly remaining: Int32Array;
  private readonly membership = new Map<number, Array<[number, number]>>();

  constructor(private readonly cg: ChannelGraph) {
    this.removed = new Uint8Array(cg.uf.size);
    this.remaining = new Int32Array(cg.keepOne.length);
    cg.keepOne.forEach((ids, c) => {
      this.remaining[c] = ids.length;
      const counts = new Map<number, number>();
      for (const id of ids) {
        const r = cg.uf.find(id);
        counts.set(r, (counts.get(r) ?? 0) + 1);
      }
      for (const [r, n] of counts) {
        const list = this.membership.get(r);
        if (list) list.push([c, n]);
        else this.membership.set(r, [[c, n]]);
      }
    });
  }

  /** Removes a class unless that would empty a layer. @returns whether it was removed */
  tryRemove(r: number): boolean {
    if (this.removed[r]) return false;
    const list = this.membership.get(r) ?? [];
    if (list.some(([c, n]) => this.remaining[c] - n < 1)) return false;
    for (const [c, n] of list) this.remaining[c] -= n;
    this.removed[r] = 1;
    return true;
  }

  restore(r: number): void {
    if (!this.removed[r]) return;
    for (const [c, n] of this.membership.get(r) ?? []) this.remaining[c] += n;
    this.removed[r] = 0;
  }
}

function byScore(scores: Float64Array): (a: number, b: number) => number {
  return (a, b) => scores[a] - scores[b] || a - b;
}

/** How many of `total` channels to remove for a ratio, keeping a multiple of `roundTo`. */
export function removalCount(total: number, ratio: number, roundTo: number): number {
  const kept = roundKept(total - Math.round(ratio * total), total, roundTo);
  return Math.max(0, total - Math.max(1, kept));
}

function pruneGroup(g: ChannelGroup, rm: Remover, scores: Float64Array, opts: PlanOptions): void {
  const sorted = [...g.prunable].sort(byScore(scores));
  if (g.convBlocks) {
    const blocks = Array.from({ length: g.convBlocks.count }, () => [] as number[]);
    for (const r of sorted) blocks[g.convBlocks.of.get(r) ?? 0].push(r);
    const size = g.classes.length / g.convBlocks.count;
    const want = Math.min(removalCount(size, opts.ratio, opts.roundTo), ...blocks.map((b) => b.length));
    for (const b of blocks) b.slice(0, want).forEach((r) => rm.tryRemove(r));
    return;
  }
  let want = removalCount(g.classes.length, opts.ratio, opts.roundTo);
  for (const r of sorted) {
    if (want <= 0) break;
    if (rm.tryRemove(r)) want--;
  }
}

/** Un-removes the best removed classes of a group until its kept count is a multiple of `roundTo`. */
function roundGroup(g: ChannelGroup, rm: Remover, scores: Float64Array, roundTo: number): void {
  const removed = g.classes.filter((r) => rm.removed[r]).sort(byScore(scores));
  const kept = g.classes.length - removed.length;
  if (roundTo <= 1 || removed.length === 0 || kept % roundTo === 0) return;
  const target = Math.min(g.classes.length, Math.ceil(kept / roundTo) * roundTo);
  for (let i = removed.length - 1, k = kept; k < target && i >= 0; i--, k++) rm.restore(removed[i]);
}

/**
 * Plans the removal.
 * @param scores - importance per union-find root (normalized per group for global plans)
 * @param estimate - params and MACs after a removal, for global params/MACs targets
 * @param base - params and MACs of the unpruned model
 */
export function planPruning(cg: ChannelGraph, grouping: Grouping, scores: Float64Array, opts: PlanOptions, estimate: CostEstimate, base: { params: number; macs: number }): Plan {
  const rm = new Remover(cg);
  const groups = grouping.groups.filter((g) => !opts.skipGroups.has(g.index) && g.prunable.length > 0);
  if (!opts.global) {
    for (const g of groups) pruneGroup(g, rm, scores, opts);
    return finish(rm);
  }
  const ranked = groups.filter((g) => !g.convBlocks);
  for (const g of groups.filter((x) => x.convBlocks)) pruneGroup(g, rm, scores, opts);
  const cap = new Map(ranked.map((g) => [g.index, Math.floor(opts.maxGroupRatio * g.classes.length)]));
  const used = new Map<number, number>();
  const order: number[] = [];
  for (const r of ranked.flatMap((g) => g.prunable).sort(byScore(scores))) {
    const gi = grouping.groupOf.get(r) as number;
    if ((used.get(gi) ?? 0) >= (cap.get(gi) ?? 0) || !rm.tryRemove(r)) continue;
    used.set(gi, (used.get(gi) ?? 0) + 1);
    order.push(r);
  }
  for (const r of order) rm.restore(r);
  let k: number;
  if (opts.target === 'channels') {
    k = Math.min(order.length, Math.round(opts.ratio * ranked.reduce((s, g) => s + g.classes.length, 0)));
  } else {
    const goal = (opts.target === 'params' ? base.params : base.macs) * (1 - opts.ratio);
    const probe = (n: number) => {
      const removed = new Uint8Array(rm.removed);
      for (let i = 0; i < n; i++) removed[order[i]] = 1;
      const c = estimate(removed);
      return opts.target === 'params' ? c.params : c.macs;
    };
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (probe(mid) <= goal) hi = mid;
      else lo = mid + 1;
    }
    k = lo;
  }
  for (let i = 0; i < k; i++) rm.tryRemove(order[i]);
  for (const g of ranked) roundGroup(g, rm, scores, opts.roundTo);
  return finish(rm);
}

function finish(rm: Remover): Plan {
  let n = 0;
  for (const v of rm.removed) n += v;
  return { removed: rm.removed, removedClasses: n };
}
