/** Node side of the graph benchmark (bundled by scripts/bench/graph.mjs): DTO build and layout times, dagre elements. */
import { graphDtoOf } from '../../electron/engine/graph/graph-dtos';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { graphEdges, inputId, nodeId, outputId } from '../../shared/graph/edges';
import { allGroupIds, buildGroups, initialExpansion } from '../../shared/graph/groups';
import { layoutVisible } from '../../shared/graph/layout-view';
import { buildView } from '../../shared/graph/view-model';

/** Times of the engine and of the shared layout on one model. */
export function nodeFigures(file: string): Record<string, number> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return Math.round(d);
  };
  const loaded = loadModelFile(file);
  const load = lap();
  const dto = graphDtoOf(loaded, 'bench');
  const dtoMs = lap();
  const tree = buildGroups(dto.nodes);
  const view = buildView(dto, { tree, expanded: initialExpansion(tree, 1200) });
  const viewMs = lap();
  layoutVisible(view);
  const layoutInitial = lap();
  const full = buildView(dto, { tree, expanded: allGroupIds(tree) });
  lap();
  layoutVisible(full);
  const layoutFull = lap();
  return { nodes: dto.nodeCount, edges: dto.edgeCount, load, dtoMs, viewMs, initialBoxes: view.nodes.length, layoutInitial, fullBoxes: full.nodes.length, layoutFull };
}

/** Every node and edge, as cytoscape elements, for the dagre baseline. */
export function dagreElements(file: string): unknown[] {
  const dto = graphDtoOf(loadModelFile(file), 'bench');
  const els: unknown[] = [];
  for (const t of dto.inputs) els.push({ data: { id: inputId(t), label: dto.tensors[t].name } });
  dto.nodes.forEach((n, i) => {
    if (!n.folded) els.push({ data: { id: nodeId(i), label: n.op } });
  });
  for (const t of dto.outputs) els.push({ data: { id: outputId(t), label: dto.tensors[t].name } });
  const ids = new Set(els.map((e) => (e as { data: { id: string } }).data.id));
  graphEdges(dto).forEach((e, k) => {
    if (ids.has(e.source) && ids.has(e.target)) els.push({ data: { id: `e${k}`, source: e.source, target: e.target } });
  });
  return els;
}
