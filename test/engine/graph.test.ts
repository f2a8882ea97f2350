/** The graph DTO, tensor details and model diff on real models: no node dropped, edges counted independently. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../electron/engine/analysis/summary';
import { diffGraphs } from '../../electron/engine/graph/model-diff';
import { graphDtoOf, modelIr } from '../../electron/engine/graph/graph-dtos';
import { tensorDetails } from '../../electron/engine/graph/tensor-details';
import { removeNode } from '../../electron/engine/onnx/ir/edits';
import { nodeImplicitInputs } from '../../electron/engine/onnx/ir/graph-index';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { loadModelFile } from '../../electron/engine/onnx/load';
import type { GraphProto } from '../../electron/engine/onnx/proto';
import { saveModel } from '../../electron/engine/onnx/save';
import { buildGroups, initialExpansion } from '../../shared/graph/groups';
import { buildView } from '../../shared/graph/view-model';
import { layoutVisible } from '../../shared/graph/layout-view';
import { SAMPLE, conformance, generated } from './fixtures';

/** Counts edges straight from the proto: each distinct computed input of a node, plus each graph output. */
function protoEdgeCount(g: GraphProto): number {
  const inits = new Set(g.initializer.map((t) => t.name));
  const consumers = new Map<string, number>();
  for (const n of g.node) for (const i of n.input) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const outputs = new Set(g.output.map((o) => o.name));
  const folded = new Set<string>();
  for (const n of g.node) {
    if (n.opType === 'Constant' && n.attribute.some((a) => a.name === 'value' && a.t) && n.output.every((o) => !outputs.has(o) && consumers.has(o))) {
      for (const o of n.output) folded.add(o);
    }
  }
  const defined = new Set<string>([...g.input.map((i) => i.name), ...g.node.flatMap((n) => n.output)]);
  let edges = 0;
  for (const n of g.node) {
    if (n.output.some((o) => folded.has(o))) continue;
    for (const name of new Set([...n.input, ...nodeImplicitInputs(n)])) if (name && !inits.has(name) && !folded.has(name) && defined.has(name)) edges++;
  }
  for (const name of new Set(g.output.map((o) => o.name))) if (!inits.has(name) && !folded.has(name) && defined.has(name)) edges++;
  return edges;
}

const models: Array<[string, () => string]> = [
  ['sample', () => SAMPLE],
  ['resnet18', () => generated('resnet18.onnx')],
  ['mobilenet_v2', () => generated('mobilenet_v2.onnx')],
  ['densenet121', () => generated('densenet121.onnx')],
  ['if-model', () => generated('if-model.onnx')],
  ['constant-weights', () => generated('constant-weights.onnx')],
  ['conformance test_if', () => conformance('node/test_if')],
];

describe('graph DTO', () => {
  for (const [label, file] of models) {
    it(`${label}: every node is in the DTO and the view, edges match the proto`, () => {
      const loaded = loadModelFile(file());
      const summary = summarize(loaded);
      const dto = graphDtoOf(loaded, 'm1');
      expect(dto.nodeCount).toBe(summary.nodeCount);
      expect(dto.nodes).toHaveLength(summary.nodeCount);
      expect(dto.edgeCount).toBe(protoEdgeCount(loaded.proto.graph as GraphProto));
      const tree = buildGroups(dto.nodes);
      const view = buildView(dto, { tree, expanded: initialExpansion(tree, 1500) });
      const ops = view.nodes.filter((v) => v.kind === 'op').length;
      const inGroups = view.nodes.filter((v) => v.kind === 'group').reduce((s, v) => s + v.members, 0);
      expect(ops + inGroups + dto.foldedCount).toBe(summary.nodeCount);
      const layout = layoutVisible(view);
      expect(layout.x.every(Number.isFinite)).toBe(true);
      // every node comes after the producers of its inputs
      const pos = new Map(dto.nodes.map((n, i) => [n, i]));
      for (const n of dto.nodes) for (const t of n.inputs) if (t >= 0 && dto.tensors[t].producer >= 0) expect(dto.tensors[t].producer).toBeLessThan(pos.get(n) as number);
    });
  }

  it('folds Constant-node weights like initializers and reads their values', () => {
    const loaded = loadModelFile(generated('constant-weights.onnx'));
    const dto = graphDtoOf(loaded, 'm1');
    expect(dto.foldedCount).toBeGreaterThan(0);
    const folded = dto.nodes.find((n) => n.folded);
    const weight = dto.tensors[folded?.outputs[0] as number];
    expect(weight.weight?.source).toBe('constant');
    const details = tensorDetails(modelIr(loaded).graph, weight.name, loaded.external, { previewCount: 10 });
    expect(details.source).toBe('constant');
    expect(details.stats).not.toBeNull();
  });

  it('opens an If branch as a nested graph with outer-scope reads', () => {
    const loaded = loadModelFile(generated('if-model.onnx'));
    const main = graphDtoOf(loaded, 'm1');
    const ifNode = main.nodes.find((n) => n.op === 'If');
    expect(ifNode?.subgraphs.map((s) => s.attribute).sort()).toEqual(['else_branch', 'then_branch']);
    const sub = graphDtoOf(loaded, 'm1', [{ node: ifNode?.fileIndex as number, attribute: 'then_branch', index: 0 }]);
    expect(sub.breadcrumb[0]).toBe('main');
    expect(sub.breadcrumb).toHaveLength(2);
    expect(sub.nodeCount + sub.subgraphNodeCount).toBe(ifNode?.subgraphs.find((s) => s.attribute === 'then_branch')?.nodeCount);
  });

  it('gives stats, a histogram and a preview of a conv weight', () => {
    const loaded = loadModelFile(SAMPLE);
    const dto = graphDtoOf(loaded, 'm1');
    const conv = dto.nodes.find((n) => n.op === 'Conv');
    const w = dto.tensors[conv?.inputs[1] as number];
    const d = tensorDetails(modelIr(loaded).graph, w.name, loaded.external, { previewCount: 8, bins: 32 });
    expect(d.shape).toEqual(w.shape);
    expect(d.preview).toHaveLength(8);
    expect(d.previewTruncated).toBe(true);
    expect(d.histogram?.counts).toHaveLength(32);
    expect(d.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(d.elements);
    expect((d.stats as { min: number }).min).toBeLessThan((d.stats as { max: number }).max);
    expect(() => tensorDetails(modelIr(loaded).graph, dto.tensors[conv?.outputs[0] as number].name, loaded.external)).toThrow(/computed at run time/);
  });
});

describe('model diff', () => {
  it('finds exactly one changed weight and one removed node', async () => {
    const original = loadModelFile(SAMPLE);
    const ir = new ModelIR(loadModelFile(SAMPLE).proto);
    const conv = ir.graph.nodes.find((n) => n.opType === 'Conv');
    const w = ir.graph.constantTensor(conv?.input[1] as string);
    const values = new Float32Array(new Uint8Array(w?.rawData as Uint8Array).slice().buffer);
    values[0] += 1;
    (w as { rawData: Uint8Array }).rawData = new Uint8Array(values.buffer);
    const relu = ir.graph.nodes.find((n) => n.opType === 'Relu');
    removeNode(ir.graph, relu as never, relu?.input[0]);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-diff-')), 'variant.onnx');
    await saveModel(ir.toProto(), out);
    const variant = loadModelFile(out);
    const diff = diffGraphs(
      { modelId: 'a', fileName: 'a', graph: modelIr(original).graph, external: original.external },
      { modelId: 'b', fileName: 'b', graph: modelIr(variant).graph, external: variant.external },
    );
    expect(diff.changes.map((c) => c.kind).sort()).toEqual(['changed', 'removed']);
    expect(diff.changes.find((c) => c.kind === 'removed')?.op).toBe('Relu');
    expect(diff.changes.find((c) => c.kind === 'changed')?.details.join()).toMatch(/values changed \(1 of/);
  });
});
