/** Removes the constants adapters stopped reading (an axes initializer turned back into an attribute) once nothing reads them. */
import { isConstantNode, type Graph } from '../ir/graph';

/**
 * Removes each detached name's initializer or Constant node when no node, subgraph or graph output reads it any more.
 * @param detached - per graph where a node stopped reading them, the names
 * @remarks Main-graph inputs are kept even when unread: they are part of the model's interface.
 */
export function removeDetached(detached: ReadonlyMap<Graph, ReadonlySet<string>>): void {
  for (const [graph, names] of detached) {
    for (const name of names) {
      let owner: Graph | undefined = graph;
      while (owner && !owner.definesLocally(name)) owner = owner.parent;
      if (!owner || owner.consumers(name).length > 0 || owner.implicitUsers(name).length > 0 || owner.isOutput(name)) continue;
      if (owner.isInput(name)) continue;
      const init = owner.initializer(name);
      if (init) {
        owner.initializers.splice(owner.initializers.indexOf(init), 1);
        owner.invalidate();
        continue;
      }
      const producer = owner.producer(name);
      if (producer && isConstantNode(producer) && producer.output.length === 1) {
        owner.nodes.splice(owner.nodes.indexOf(producer), 1);
        owner.invalidate();
      }
    }
  }
}
