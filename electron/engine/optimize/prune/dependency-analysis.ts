/** Channel dependency analysis over the graph IR: which channels are coupled, which weights follow them, what blocks. */
import { AttrReader } from '../../analysis/infer-types';
import { dimSymbols } from '../../analysis/dims';
import { inferShapes, type ShapeInference } from '../../analysis/shape-inference';
import type { ModelIR } from '../../onnx/ir/model-ir';
import { ChannelGraph, type Layout } from './channel-graph';
import { ELEMENTWISE_RULES } from './dep-rules-elementwise';
import { LAYER_RULES } from './dep-rules-layers';
import { SHAPE_RULES } from './dep-rules-shape';
import { blockInputs, type DepRule, type RuleContext } from './rule-context';
import { coupleSharedWeights } from './shared-weights';
import { resolveConstant, type ExternalMap } from './weights';

const RULES: Record<string, DepRule> = { ...LAYER_RULES, ...ELEMENTWISE_RULES, ...SHAPE_RULES };

/** The analysis and the shapes it was computed from. */
export interface ChannelAnalysis {
  cg: ChannelGraph;
  shapes: ShapeInference;
  /** sizes used for symbolic input dims (all 1) */
  dims: Record<string, number>;
}

/** @returns sizes of 1 for every symbolic dim of the model's runtime inputs (per-sample figures). */
export function unitDims(model: ModelIR): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const input of model.graph.runtimeInputs()) {
    const t = input.type?.value;
    if (t?.case !== 'tensorType') continue;
    for (const d of t.value.shape?.dim ?? []) {
      if (d.value.case === 'dimParam') for (const s of dimSymbols(d.value.value)) dims[s] = 1;
    }
  }
  return dims;
}

/**
 * Finds the coupled channels of a model (the main graph; subgraphs are left alone and pin what they read).
 * @param model - the model (not modified)
 * @param external - external data references of its tensors
 */
export function analyzeChannels(model: ModelIR, external: ExternalMap): ChannelAnalysis {
  const dims = unitDims(model);
  const shapes = inferShapes(model, { dims, external });
  const cg = new ChannelGraph();
  const graph = model.graph;
  const tensors = shapes.main.tensors;
  const ctx: RuleContext = {
    cg,
    graph,
    opset: model.opset('') ?? 1,
    layout: (name) => cg.layouts.get(name),
    setLayout: (name: string, layout: Layout) => {
      if (name) cg.layouts.set(name, layout);
    },
    shape: (name) => tensors.get(name)?.facts?.shape?.map((d) => (typeof d === 'number' ? d : null)) ?? null,
    values: (name) => {
      const v = tensors.get(name)?.facts?.value;
      return v && v.every((d) => typeof d === 'number') ? (v as number[]) : undefined;
    },
    constant: (name) => (name ? resolveConstant(graph, name) : undefined),
  };
  for (const node of graph.topologicalOrder()) {
    const subgraphs = graph.subgraphs(node);
    if (subgraphs.length > 0) {
      blockInputs(node, ctx, 'it reads these channels inside a subgraph', [...node.input, ...graph.implicitInputs(node)]);
      continue;
    }
    if (node.domain !== '' && node.domain !== 'ai.onnx') {
      blockInputs(node, ctx, `custom operator ${node.domain}::${node.opType} is not understood by channel pruning`);
      continue;
    }
    const rule = RULES[node.opType];
    if (rule) rule(node, ctx, new AttrReader(node));
    else blockInputs(node, ctx, `${node.opType} is not supported by channel pruning: the channels it reads are kept`);
  }
  coupleSharedWeights(cg, graph);
  for (const out of graph.outputs) {
    const l = cg.layouts.get(out.name);
    if (l) cg.block(l.ids, out.name, 'output', 'it is a model output, whose shape must not change');
  }
  return { cg, shapes, dims };
}

