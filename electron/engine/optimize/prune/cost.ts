/** Params and MACs of a model (from the analysis module) and a fast estimate of them after removing channels. */
import { analyzeModel } from '../../analysis/model-analysis';
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { ModelProto, NodeProto, TensorProto } from '../../onnx/proto';
import type { ChannelGraph } from './channel-graph';
import type { CostEstimate } from './plan';
import { resolveConstant, sizeOf, type ExternalMap } from './weights';

/** Params and MACs of a model, per sample (symbolic dims at 1). */
export interface ModelCost {
  params: number;
  macs: number;
  /** where the MACs come from: the analysis module (every op it costs) */
  macsSource: 'analysis';
  /** MACs per main-graph node */
  perNode: Map<NodeProto, number>;
}

/**
 * Measures a model with the analysis module (static shape inference; never runs it).
 * @param proto - the model
 * @param external - its external data references
 * @param dir - the folder its external data resolves against
 */
export function modelCost(proto: ModelProto, external: ExternalMap, dir: string): ModelCost {
  const loaded = { path: '', dir, fileName: '', fileSizeBytes: 0, proto, external: new Map(external), externalDataBytes: 0 };
  const { dto, ir } = analyzeModel(loaded);
  const perNode = new Map<NodeProto, number>();
  for (const n of dto.nodes) {
    if (n.graph === 'main' && ir.graph.nodes[n.index]) perNode.set(ir.graph.nodes[n.index], n.macs * n.runs);
  }
  return { params: dto.totals.params, macs: dto.totals.macs, macsSource: 'analysis', perNode };
}

interface WeightItem {
  node: NodeProto;
  numel: number;
  /** count params (false for a second reader of a shared tensor) */
  counted: boolean;
  /** the node's MACs scale with this weight's kept fraction */
  macs: number;
  axes: Int32Array[];
}

/** @returns the kept fraction of a layout under a removal. */
function keptFraction(cg: ChannelGraph, ids: Int32Array, removed: Uint8Array): number {
  let kept = 0;
  for (const id of ids) if (!removed[cg.uf.find(id)]) kept++;
  return ids.length ? kept / ids.length : 1;
}

/**
 * Builds an estimator of params and MACs after a removal: each edited weight shrinks by the kept fraction of each
 * edited axis, and the MACs of Conv/Gemm/MatMul nodes with it.
 * @param base - the unpruned model's cost
 */
export function costEstimator(model: ModelIR, cg: ChannelGraph, base: ModelCost): CostEstimate {
  const items = new Map<string, WeightItem>();
  const seen = new Set<TensorProto>();
  const nodeIndex = new Map(model.graph.nodes.map((n, i) => [n, i]));
  for (const e of cg.edits) {
    const key = `${nodeIndex.get(e.node)}:${e.input}`;
    let item = items.get(key);
    if (!item) {
      const t = resolveConstant(model.graph, e.node.input[e.input]);
      if (!t) continue;
      const weight = e.input === 1 && e.role !== 'param';
      item = { node: e.node, numel: sizeOf(t), counted: !seen.has(t), macs: weight ? (base.perNode.get(e.node) ?? 0) : 0, axes: [] };
      seen.add(t);
      items.set(key, item);
    }
    if (e.role !== 'param' || item.axes.length === 0) item.axes.push(e.ids);
  }
  const list = [...items.values()];
  return (removed) => {
    let params = base.params;
    let macs = base.macs;
    for (const it of list) {
      const f = it.axes.reduce((p, ids) => p * keptFraction(cg, ids, removed), 1);
      if (it.counted) params -= it.numel * (1 - f);
      macs -= it.macs * (1 - f);
    }
    return { params: Math.round(params), macs: Math.round(macs) };
  };
}
