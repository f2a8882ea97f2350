/** Search over a graph DTO: node names, op types and tensor names, case-insensitive. */
import type { GraphDto } from './graph-dto';

/** One hit: the node to jump to (a tensor hit jumps to its producer, else its first consumer). */
export interface SearchMatch {
  node: number;
  /** the tensor that matched, when it was a tensor name */
  tensor?: number;
  what: 'name' | 'op' | 'tensor';
}

/** Most hits kept (the count shown is exact). */
const MAX_MATCHES = 5000;

/**
 * @param dto - the graph
 * @param query - text to find; empty finds nothing
 * @returns matches in topological order, and the total count
 */
export function searchGraph(dto: GraphDto, query: string): { matches: SearchMatch[]; total: number } {
  const q = query.trim().toLowerCase();
  if (!q) return { matches: [], total: 0 };
  const matches: SearchMatch[] = [];
  const seen = new Set<number>();
  let total = 0;
  dto.nodes.forEach((n, i) => {
    if (n.folded) return;
    const byName = n.name.toLowerCase().includes(q);
    const byOp = n.op.toLowerCase() === q || n.op.toLowerCase().includes(q);
    if (byName || byOp) {
      total++;
      seen.add(i);
      if (matches.length < MAX_MATCHES) matches.push({ node: i, what: byName ? 'name' : 'op' });
    }
  });
  dto.tensors.forEach((t, k) => {
    if (!t.name.toLowerCase().includes(q)) return;
    let node = t.producer >= 0 && !dto.nodes[t.producer].folded ? t.producer : -1;
    if (node < 0) node = t.consumers.find((c) => !dto.nodes[c].folded) ?? -1;
    if (node < 0 || seen.has(node)) return;
    seen.add(node);
    total++;
    if (matches.length < MAX_MATCHES) matches.push({ node, tensor: k, what: 'tensor' });
  });
  matches.sort((a, b) => a.node - b.node);
  return { matches, total };
}
