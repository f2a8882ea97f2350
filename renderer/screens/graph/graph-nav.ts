/** Keyboard navigation over the graph: producers, consumers and their siblings. */
import type { GraphDto } from '../../../shared/graph/graph-dto';

/** @returns the nodes producing a node's inputs (folded weights skipped), in input order, without duplicates. */
export function producersOf(dto: GraphDto, node: number): number[] {
  const out: number[] = [];
  for (const t of [...dto.nodes[node].inputs, ...dto.nodes[node].implicitInputs]) {
    const p = t >= 0 ? dto.tensors[t].producer : -1;
    if (p >= 0 && !dto.nodes[p].folded && !out.includes(p)) out.push(p);
  }
  return out;
}

/** @returns the nodes reading a node's outputs, in topological order, without duplicates. */
export function consumersOf(dto: GraphDto, node: number): number[] {
  const out = new Set<number>();
  for (const t of dto.nodes[node].outputs) if (t >= 0) for (const c of dto.tensors[t].consumers) out.add(c);
  return [...out].sort((a, b) => a - b);
}

/** Where the last up/down move came from, so left/right can step among its alternatives. */
export interface NavMemory {
  list: number[];
  at: number;
}

/**
 * One navigation step.
 * @param dto - the graph
 * @param node - the selected node
 * @param key - `up` (producer), `down` (consumer), `left` / `right` (previous / next alternative of the last move)
 * @param memory - the last move's alternatives
 * @returns the node to select and the new memory, or null when there is nowhere to go
 */
export function navigate(dto: GraphDto, node: number, key: 'up' | 'down' | 'left' | 'right', memory: NavMemory | null): { node: number; memory: NavMemory } | null {
  if (key === 'up' || key === 'down') {
    const list = key === 'up' ? producersOf(dto, node) : consumersOf(dto, node);
    return list.length ? { node: list[0], memory: { list, at: 0 } } : null;
  }
  if (!memory || memory.list.length < 2 || memory.list[memory.at] !== node) return null;
  const at = (memory.at + (key === 'right' ? 1 : -1) + memory.list.length) % memory.list.length;
  return { node: memory.list[at], memory: { list: memory.list, at } };
}
