/** Kahn's topological sort of a graph's nodes, stable with respect to file order, with cycle detection. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto } from '../proto';

/** What the sort needs from a graph. */
export interface SortableGraph {
  readonly nodes: readonly NodeProto[];
  producer(name: string): NodeProto | undefined;
  implicitInputs(node: NodeProto): readonly string[];
  indexOf(node: NodeProto): number;
}

/**
 * Orders nodes so that each comes after the producers of what it reads (subgraph outer-scope reads included).
 * @param graph - the graph
 * @param graphName - used in the error message
 * @returns the nodes; among the ready nodes the one earliest in the file goes first, so a sorted graph keeps its order
 * @throws StudioError `INVALID_MODEL` when nodes depend on each other in a cycle
 */
export function topologicalSort(graph: SortableGraph, graphName: string): NodeProto[] {
  const nodes = graph.nodes;
  const pending = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    const deps = new Set<number>();
    for (const name of [...node.input, ...graph.implicitInputs(node)]) {
      if (name === '') continue;
      const p = graph.producer(name);
      if (p) deps.add(graph.indexOf(p));
    }
    for (const d of deps) {
      dependents[d].push(i);
      pending[i]++;
    }
  });
  const ready = new MinHeap();
  pending.forEach((n, i) => {
    if (n === 0) ready.push(i);
  });
  const order: NodeProto[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(nodes[i]);
    for (const j of dependents[i]) {
      if (--pending[j] === 0) ready.push(j);
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => pending[i] > 0);
    const names = stuck.slice(0, 5).map((n) => `"${n.name || n.output[0] || '?'}" (${n.opType})`);
    throw new StudioError(
      'INVALID_MODEL',
      `Graph "${graphName}" has a cycle: ${stuck.length} node(s) depend on each other's outputs, among them ${names.join(', ')}. ` +
        'The model is corrupt or was edited wrongly; re-export it.',
    );
  }
  return order;
}

/** A binary min-heap of node positions. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= v) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r] < a[l] ? r : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
