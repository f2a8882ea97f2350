/** Node order: a graph read before it is written is reported as unsorted (onnxruntime sorts it) or, when no order works, as a cycle. */
import type { NodeProto } from '../proto';
import type { ValidateContext } from './context';
import { findCycle } from './cycles';
import { where } from './definitions';
import { nodeText, quote, type NodeRef } from './problems';

/**
 * Reports why a graph is out of order.
 * @param nodes - the graph's nodes
 * @param path - the graph's path
 * @param producers - name → writer's position (negative for inputs and initializers)
 * @param implicit - node position → outer names its subgraphs read
 * @param first - the first read of a name before its writer
 */
export function reportOrder(
  ctx: ValidateContext,
  nodes: NodeProto[],
  path: string,
  producers: ReadonlyMap<string, number>,
  implicit: ReadonlyMap<number, readonly string[]>,
  first: { ref: NodeRef; name: string },
): void {
  const found = findCycle(nodes, producers, implicit);
  if (!found) {
    const producer = producers.get(first.name) as number;
    ctx.problems.addAt(first.ref, {
      severity: 'warning',
      code: 'UNSORTED_NODES',
      tensor: first.name,
      message: `The nodes${where(path)} are not in topological order: ${nodeText(first.ref)} reads ${quote(first.name)} before ${nodeText({ graph: path, node: nodes[producer], index: producer })} writes it.`,
      fix: 'onnxruntime sorts the graph itself, but the ONNX checker and other runtimes refuse it: re-export the model.',
    });
    return;
  }
  const on = found.cycle.slice(0, 6).map((i) => nodeText({ graph: 'main', node: nodes[i], index: i }));
  const chain = found.cycle.length > 6 ? [...on, `… (${found.cycle.length} nodes in all)`] : [...on, on[0]];
  const startRef: NodeRef = { graph: path, node: nodes[found.cycle[0]], index: found.cycle[0] };
  const stuck = found.stuck > found.cycle.length ? `${found.stuck} nodes can never run` : 'none of them can run';
  ctx.problems.addAt(startRef, {
    severity: 'error',
    code: 'CYCLE',
    message:
      found.cycle.length === 1
        ? `The graph${where(path)} has a cycle: ${on[0]} reads its own output (${stuck}).`
        : `The graph${where(path)} has a cycle: ${chain.join(' → ')}, each reading the output of the one before it (${stuck}).`,
    fix: 'A graph must be acyclic (recurrence belongs in a Loop or Scan body): the model is corrupt or was edited wrongly; re-export it.',
  });
}
