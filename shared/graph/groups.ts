/** Collapsible groups of nodes: name scopes (`/layer1/0/conv1/Conv`), else blocks of consecutive nodes. */
import type { NodeDto } from './graph-dto';

/** A group of nodes the view can show as one box. */
export interface NodeGroup {
  /** stable id: the scope path, or `#a-b` for a block of consecutive nodes */
  id: string;
  label: string;
  parent: string | null;
  /** child group ids, in topological order of their first node */
  groups: string[];
  /** DTO positions of the nodes directly in this group */
  nodes: number[];
  /** all nodes below, at any depth */
  size: number;
  /** smallest DTO position below (the group's place in topological order) */
  first: number;
}

/** The group tree of a graph; the root (id '') holds everything. */
export interface GroupTree {
  groups: Map<string, NodeGroup>;
  /** DTO position → id of its innermost group */
  groupOf: Int32Array;
  /** group ids in a stable order, index = number used in `groupOf` */
  ids: string[];
}

const ROOT = '';

/** @returns the scope segments of a node name (all `/`-separated parts but the last). */
export function scopeOf(name: string): string[] {
  if (!name.includes('/')) return [];
  const parts = name.split('/').filter((p) => p !== '');
  return parts.slice(0, -1);
}

/**
 * Builds the group tree.
 * @param nodes - the graph's nodes (topological order); folded nodes are left out
 * @param maxChildren - a group with more direct children than this is split into blocks of consecutive nodes
 * @returns the tree, with single-child groups merged away
 */
export function buildGroups(nodes: readonly NodeDto[], maxChildren = 120): GroupTree {
  const groups = new Map<string, NodeGroup>();
  const make = (id: string, label: string, parent: string | null, first: number): NodeGroup => {
    const g: NodeGroup = { id, label, parent, groups: [], nodes: [], size: 0, first };
    groups.set(id, g);
    return g;
  };
  make(ROOT, 'main', null, 0);
  nodes.forEach((node, i) => {
    if (node.folded) return;
    let parent = groups.get(ROOT) as NodeGroup;
    let path = '';
    for (const seg of scopeOf(node.name)) {
      path = path ? `${path}/${seg}` : seg;
      let g = groups.get(path);
      if (!g) {
        g = make(path, seg, parent.id, i);
        parent.groups.push(path);
      }
      parent = g;
    }
    parent.nodes.push(i);
  });
  simplify(groups, ROOT);
  splitLarge(groups, ROOT, maxChildren);
  computeSizes(groups, ROOT);
  const ids = [...groups.keys()];
  const index = new Map(ids.map((id, k) => [id, k]));
  const groupOf = new Int32Array(nodes.length).fill(-1);
  for (const g of groups.values()) for (const n of g.nodes) groupOf[n] = index.get(g.id) as number;
  return { groups, groupOf, ids };
}

/** Merges groups with a single child into their parent (iteratively, no recursion on deep trees). */
function simplify(groups: Map<string, NodeGroup>, rootId: string): void {
  const stack = [rootId];
  while (stack.length) {
    const g = groups.get(stack.pop() as string) as NodeGroup;
    const kept: string[] = [];
    for (const childId of g.groups) {
      let child = groups.get(childId) as NodeGroup;
      // a group whose only content is one subgroup: the subgroup takes its place
      while (child.nodes.length === 0 && child.groups.length === 1) {
        const only = groups.get(child.groups[0]) as NodeGroup;
        groups.delete(child.id);
        only.label = `${child.label}/${only.label}`;
        only.parent = g.id;
        child = only;
      }
      // a group of exactly one node: the node moves up
      if (child.groups.length === 0 && child.nodes.length === 1) {
        g.nodes.push(child.nodes[0]);
        groups.delete(child.id);
        continue;
      }
      kept.push(child.id);
      stack.push(child.id);
    }
    g.groups = kept;
    g.nodes.sort((a, b) => a - b);
  }
}

/** Splits groups with too many direct nodes into blocks of consecutive nodes. */
function splitLarge(groups: Map<string, NodeGroup>, rootId: string, maxChildren: number): void {
  const stack = [rootId];
  while (stack.length) {
    const g = groups.get(stack.pop() as string) as NodeGroup;
    stack.push(...g.groups);
    if (g.nodes.length + g.groups.length <= maxChildren) continue;
    if (g.nodes.length < 2) {
      regroup(groups, g, maxChildren);
      continue;
    }
    const perBlock = Math.max(2, Math.ceil(g.nodes.length / Math.max(2, maxChildren - g.groups.length)));
    const nodes = g.nodes;
    g.nodes = [];
    for (let s = 0; s < nodes.length; s += perBlock) {
      const block = nodes.slice(s, s + perBlock);
      if (block.length === 1) {
        g.nodes.push(block[0]);
        continue;
      }
      const id = `${g.id}#${block[0]}-${block[block.length - 1]}`;
      groups.set(id, { id, label: `nodes ${block[0] + 1}–${block[block.length - 1] + 1}`, parent: g.id, groups: [], nodes: block, size: 0, first: block[0] });
      g.groups.push(id);
    }
    // the blocks themselves may still be too many: one more level
    if (g.groups.length > maxChildren) regroup(groups, g, maxChildren);
  }
}

/** Puts the child groups of `g` into blocks of child groups when there are too many. */
function regroup(groups: Map<string, NodeGroup>, g: NodeGroup, maxChildren: number): void {
  const children = g.groups;
  const per = Math.ceil(children.length / maxChildren);
  g.groups = [];
  for (let s = 0; s < children.length; s += per) {
    const block = children.slice(s, s + per);
    const first = groups.get(block[0]) as NodeGroup;
    const last = groups.get(block[block.length - 1]) as NodeGroup;
    const id = `${g.id}#g${s}`;
    groups.set(id, { id, label: `${first.label} … ${last.label}`, parent: g.id, groups: block, nodes: [], size: 0, first: first.first });
    for (const c of block) (groups.get(c) as NodeGroup).parent = id;
    g.groups.push(id);
  }
}

/** Fills `size` and `first` bottom-up, and orders child groups topologically. */
function computeSizes(groups: Map<string, NodeGroup>, rootId: string): void {
  const order: NodeGroup[] = [];
  const stack = [rootId];
  while (stack.length) {
    const g = groups.get(stack.pop() as string) as NodeGroup;
    order.push(g);
    stack.push(...g.groups);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const g = order[k];
    let size = g.nodes.length;
    let first = g.nodes.length ? g.nodes[0] : Number.MAX_SAFE_INTEGER;
    for (const c of g.groups) {
      const child = groups.get(c) as NodeGroup;
      size += child.size;
      first = Math.min(first, child.first);
    }
    g.size = size;
    g.first = g.id === rootId ? 0 : first;
    g.groups.sort((a, b) => (groups.get(a) as NodeGroup).first - (groups.get(b) as NodeGroup).first);
  }
}

/**
 * Chooses which groups start expanded: level by level, smallest first, while the number of boxes on screen stays
 * within `budget`.
 * @returns the ids of expanded groups (the root is always expanded)
 */
export function initialExpansion(tree: GroupTree, budget: number): Set<string> {
  const expanded = new Set<string>([ROOT]);
  const root = tree.groups.get(ROOT) as NodeGroup;
  let visible = root.nodes.length + root.groups.length;
  let frontier = [...root.groups];
  while (frontier.length) {
    frontier.sort((a, b) => (tree.groups.get(a) as NodeGroup).size - (tree.groups.get(b) as NodeGroup).size);
    const next: string[] = [];
    let grew = false;
    for (const id of frontier) {
      const g = tree.groups.get(id) as NodeGroup;
      const extra = g.nodes.length + g.groups.length - 1;
      if (visible + extra <= budget) {
        expanded.add(id);
        visible += extra;
        next.push(...g.groups);
        grew = true;
      }
    }
    if (!grew) break;
    frontier = next;
  }
  return expanded;
}

/** @returns every group id (to expand all). */
export function allGroupIds(tree: GroupTree): Set<string> {
  return new Set(tree.groups.keys());
}

/**
 * The ids of the group chain holding a node, outermost first (to expand it into view).
 * @param tree - the group tree
 * @param node - a DTO position
 */
export function groupChain(tree: GroupTree, node: number): string[] {
  const chain: string[] = [];
  const k = tree.groupOf[node];
  let id: string | null = k >= 0 ? tree.ids[k] : null;
  while (id !== null && id !== ROOT) {
    chain.unshift(id);
    id = tree.groups.get(id)?.parent ?? null;
  }
  return chain;
}
