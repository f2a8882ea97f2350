/** Channel importance: the L1/L2 norm of every weight slice a channel class owns, or activations times weights. */
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { TensorProto } from '../../onnx/proto';
import type { ChannelGraph, WeightEdit } from './channel-graph';
import type { Grouping } from './groups';
import { dimsOf, FLOAT_TYPES, readFloats, resolveConstant, type ExternalMap } from './weights';

export type Criterion = 'l1' | 'l2' | 'activation';

/** Mean |x| per position along the channel axis of a tensor, measured on calibration data. */
export type ChannelMeans = ReadonlyMap<string, Float64Array>;

/** Per position along `axis`: the sum of |v| (p = 1) or of v² (p = 2) over the rest of the tensor. */
function sliceNorms(values: Float32Array, dims: number[], axis: number, p: 1 | 2): Float64Array {
  const len = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = values.length / (len * inner);
  const out = new Float64Array(len);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < len; c++) {
      let acc = 0;
      const end = i + inner;
      if (p === 1) for (; i < end; i++) acc += Math.abs(values[i]);
      else
        for (; i < end; i++) {
          const v = values[i];
          acc += v * v;
        }
      out[c] += acc;
    }
  }
  return out;
}

function scoredEdits(cg: ChannelGraph, roles: ReadonlyArray<WeightEdit['role']>): WeightEdit[] {
  return cg.edits.filter((e) => roles.includes(e.role));
}

function weightOf(model: ModelIR, e: WeightEdit): TensorProto | undefined {
  const t = resolveConstant(model.graph, e.node.input[e.input]);
  return t && FLOAT_TYPES.has(t.dataType) ? t : undefined;
}

/**
 * Scores each class by the norm of all the weights it owns: its rows in the layers that make it, its columns in the
 * layers that read it, its depthwise filters (as Torch-Pruning's group norm does).
 * @returns a score per union-find root (other entries are 0)
 */
export function weightScores(model: ModelIR, external: ExternalMap, cg: ChannelGraph, criterion: 'l1' | 'l2'): Float64Array {
  const p = criterion === 'l1' ? 1 : 2;
  const scores = new Float64Array(cg.uf.size);
  const cache = new Map<TensorProto, Float32Array>();
  for (const e of scoredEdits(cg, ['out', 'in', 'depthwise'])) {
    const t = weightOf(model, e);
    if (!t) continue;
    let values = cache.get(t);
    if (!values) cache.set(t, (values = readFloats(t, external)));
    const norms = sliceNorms(values, dimsOf(t), e.axis, p);
    for (let i = 0; i < e.ids.length; i++) scores[cg.uf.find(e.ids[i])] += norms[i];
  }
  if (p === 2) for (let i = 0; i < scores.length; i++) scores[i] = Math.sqrt(scores[i]);
  return scores;
}

/** The tensors whose channel means the activation criterion needs: the inputs of every layer reading pruned channels. */
export function activationTensors(cg: ChannelGraph): Array<{ name: string; axis: number }> {
  const out = new Map<string, number>();
  for (const e of scoredEdits(cg, ['in'])) {
    const name = e.node.input[0];
    const l = cg.layouts.get(name);
    if (l) out.set(name, l.axis);
  }
  return [...out].map(([name, axis]) => ({ name, axis }));
}

/**
 * Scores each class by what it feeds forward: mean |activation| of each input channel of a reading layer times the L2
 * norm of the weights that read it, summed over readers. Classes nothing reads fall back to a tiny weight-norm score.
 */
export function activationScores(model: ModelIR, external: ExternalMap, cg: ChannelGraph, means: ChannelMeans): Float64Array {
  const scores = new Float64Array(cg.uf.size);
  for (const e of scoredEdits(cg, ['in'])) {
    const t = weightOf(model, e);
    const m = means.get(e.node.input[0]);
    if (!t || !m || m.length !== e.ids.length) continue;
    const norms = sliceNorms(readFloats(t, external), dimsOf(t), e.axis, 2);
    for (let i = 0; i < e.ids.length; i++) scores[cg.uf.find(e.ids[i])] += m[i] * Math.sqrt(norms[i]);
  }
  const fallback = weightScores(model, external, cg, 'l2');
  let max = 0;
  for (const v of fallback) max = Math.max(max, v);
  for (let i = 0; i < scores.length; i++) scores[i] += max > 0 ? (1e-9 * fallback[i]) / max : 0;
  return scores;
}

/** Divides each group's scores by their mean so groups can be ranked together (global pruning). */
export function normalizeByGroup(scores: Float64Array, grouping: Grouping): Float64Array {
  const out = new Float64Array(scores);
  for (const g of grouping.groups) {
    if (g.prunable.length === 0) continue;
    const mean = g.prunable.reduce((s, r) => s + scores[r], 0) / g.prunable.length;
    if (mean > 0) for (const r of g.classes) out[r] = scores[r] / mean;
  }
  return out;
}
