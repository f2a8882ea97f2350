/** Groups of coupled layers: sources whose channels are tied (a residual stage), the channel classes they share, blocks. */
import type { Block, ChannelGraph, ChannelSource } from './channel-graph';
import { UnionFind } from './union-find';

/** Layers that must lose the same channels, and those channels. */
export interface ChannelGroup {
  index: number;
  /** the prunable layers of the group (their output channels are the group's classes) */
  sources: ChannelSource[];
  /** every class (a set of coupled channels, named by its union-find root) */
  classes: number[];
  /** the classes that may be removed */
  prunable: number[];
  /** why the other classes are kept */
  blockedBy: Block[];
  /** a grouped convolution's groups: the class → its group; removal must be even across groups */
  convBlocks?: { count: number; of: Map<number, number> };
}

/** The groups of a channel graph and per-class facts. */
export interface Grouping {
  groups: ChannelGroup[];
  /** root → group index (-1 for fixed channels) */
  groupOf: Map<number, number>;
  /** roots that must stay */
  blocked: Set<number>;
}

/** Builds the groups from the union-find of a finished analysis. */
export function buildGroups(cg: ChannelGraph): Grouping {
  const uf = cg.uf;
  const blocked = new Set<number>();
  const reasons = new Map<number, Set<number>>();
  for (const [id, list] of cg.blockedBy) {
    const r = uf.find(id);
    blocked.add(r);
    let set = reasons.get(r);
    if (!set) reasons.set(r, (set = new Set()));
    for (const b of list) set.add(b);
  }
  const sourceSets = new UnionFind(Math.max(16, cg.sources.length));
  sourceSets.make(cg.sources.length);
  const firstSourceOfRoot = new Map<number, number>();
  for (const s of cg.sources) {
    for (let id = s.first; id < s.first + s.channels; id++) {
      const r = uf.find(id);
      if (s.kind === 'fixed') {
        blocked.add(r);
        continue;
      }
      const prev = firstSourceOfRoot.get(r);
      if (prev === undefined) firstSourceOfRoot.set(r, s.index);
      else sourceSets.union(prev, s.index);
    }
  }
  const byRoot = new Map<number, ChannelGroup>();
  const groups: ChannelGroup[] = [];
  for (const s of cg.sources) {
    if (s.kind === 'fixed') continue;
    const key = sourceSets.find(s.index);
    let g = byRoot.get(key);
    if (!g) {
      g = { index: groups.length, sources: [], classes: [], prunable: [], blockedBy: [] };
      byRoot.set(key, g);
      groups.push(g);
    }
    g.sources.push(s);
  }
  const groupOf = new Map<number, number>();
  for (const [r, si] of firstSourceOfRoot) {
    const g = byRoot.get(sourceSets.find(si)) as ChannelGroup;
    groupOf.set(r, g.index);
    g.classes.push(r);
    if (!blocked.has(r)) g.prunable.push(r);
    for (const b of reasons.get(r) ?? []) if (!g.blockedBy.includes(cg.blocks[b])) g.blockedBy.push(cg.blocks[b]);
  }
  for (const g of groups) convBlocks(cg, g, blocked);
  return { groups, groupOf, blocked };
}

/** Sets the group's conv blocks when it holds a grouped convolution; pins it when two disagree. */
function convBlocks(cg: ChannelGraph, g: ChannelGroup, blocked: Set<number>): void {
  const grouped = g.sources.filter((s) => s.kind === 'grouped-conv' && s.convGroups > 1);
  if (grouped.length === 0) return;
  const of = new Map<number, number>();
  let conflict = false;
  for (const s of grouped) {
    const size = s.channels / s.convGroups;
    for (let k = 0; k < s.channels; k++) {
      const r = cg.uf.find(s.first + k);
      const b = Math.floor(k / size);
      if (of.has(r) && of.get(r) !== b) conflict = true;
      of.set(r, b);
    }
  }
  if (conflict || grouped.some((s) => s.convGroups !== grouped[0].convGroups)) {
    for (const r of g.prunable) blocked.add(r);
    g.prunable = [];
    g.blockedBy.push({ node: grouped.map((s) => s.name).join(', '), op: 'Conv', reason: 'grouped convolutions with different groupings share these channels' });
    return;
  }
  g.convBlocks = { count: grouped[0].convGroups, of };
}
