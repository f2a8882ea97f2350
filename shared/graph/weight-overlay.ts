/** The weight-size overlay: parameters each node stores (initializers and folded Constant values it reads). */
import type { GraphDto, NodeDto } from './graph-dto';
import type { NodeOverlay } from './overlay';
import { isWeight } from './view-model';

/** @returns the key of a node in overlay values: its name, or `#<file index>` when it has none. */
export function overlayKey(node: Pick<NodeDto, 'name' | 'fileIndex'>): string {
  return node.name || `#${node.fileIndex}`;
}

/** @returns the params overlay of a graph (nodes without weights get no value). */
export function paramsOverlay(dto: GraphDto): NodeOverlay {
  const values: Record<string, number> = {};
  for (const node of dto.nodes) {
    if (node.folded) continue;
    let sum = 0;
    const seen = new Set<number>();
    for (const t of node.inputs) {
      if (t < 0 || seen.has(t) || !isWeight(dto, t)) continue;
      seen.add(t);
      sum += dto.tensors[t].weight?.elements ?? 0;
    }
    if (sum > 0) values[overlayKey(node)] = sum;
  }
  return { id: 'params', title: 'Weight size', unit: 'params', values, scale: 'log' };
}
