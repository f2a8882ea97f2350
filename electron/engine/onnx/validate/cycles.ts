/** Finds a dependency cycle among a graph's nodes, for a message that names the nodes on it. */
import type { NodeProto } from '../proto';

/**
 * Runs Kahn's algorithm over the nodes and, when some never become ready, walks back from one of them to a cycle.
 * @param nodes - the graph's nodes
 * @param producers - tensor name → index of the node writing it (negative for names no node writes)
 * @param implicit - node index → outer-scope names its subgraphs read
 * @returns the indices of the nodes on one cycle in dependency order from the one earliest in the file, and how many nodes are stuck behind cycles;
 * undefined when the nodes only need reordering
 */
export function findCycle(
  nodes: readonly NodeProto[],
  producers: ReadonlyMap<string, number>,
  implicit: ReadonlyMap<number, readonly string[]>,
): { cycle: number[]; stuck: number } | undefined {
  const deps: number[][] = nodes.map((node, i) => {
    const set = new Set<number>();
    for (const name of node.input) {
      const p = name === '' ? undefined : producers.get(name);
      if (p !== undefined && p >= 0) set.add(p);
    }
    for (const name of implicit.get(i) ?? []) {
      const p = producers.get(name);
      if (p !== undefined && p >= 0) set.add(p);
    }
    return [...set];
  });
  const pending = deps.map((d) => d.length);
  const dependents: number[][] = nodes.map(() => []);
  deps.forEach((d, i) => d.forEach((p) => dependents[p].push(i)));
  const ready = pending.flatMap((n, i) => (n === 0 ? [i] : []));
  let done = 0;
  while (ready.length) {
    const i = ready.pop() as number;
    done++;
    for (const j of dependents[i]) if (--pending[j] === 0) ready.push(j);
  }
  if (done === nodes.length) return undefined;
  // every stuck node waits on a stuck node: walking back must revisit one, and the walk from there is a cycle
  let at = pending.findIndex((n) => n > 0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(at)) {
    seenAt.set(at, walk.length);
    walk.push(at);
    at = deps[at].find((p) => pending[p] > 0) as number;
  }
  const cycle = walk.slice(seenAt.get(at)).reverse();
  // start where the file does, so that the message reads in the order a user sees the nodes
  let first = 0;
  for (let k = 1; k < cycle.length; k++) if (cycle[k] < cycle[first]) first = k;
  return { cycle: [...cycle.slice(first), ...cycle.slice(0, first)], stuck: nodes.length - done };
}
