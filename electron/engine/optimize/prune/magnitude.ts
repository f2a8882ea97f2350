/** Magnitude pruning: zero the smallest weights per layer or over all layers, or keep N of every M along the input axis. */
import { AttrReader } from '../../analysis/infer-types';
import type { MagnitudeLayerDto } from '../../../../shared/prune/prune-report';
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { NodeProto, TensorProto } from '../../onnx/proto';
import { nodeLabel } from './channel-graph';
import { kthSmallestMagnitudeBits, magnitudeBits } from './radix-select';
import { dimsOf, FLOAT_TYPES, readFloats, resolveConstant, type ExternalMap } from './weights';

const WEIGHTED_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** A weight magnitude pruning may zero. */
export interface MagnitudeTarget {
  node: NodeProto;
  tensor: TensorProto;
  values: Float32Array;
  /** stride between consecutive input-channel weights, and how many input channels, and how many such runs */
  inStride: number;
  inCount: number;
  skipped?: string;
}

/** @returns the layout of the input-channel axis of a weight, for N:M groups. */
function inputAxis(node: NodeProto, dims: number[]): { stride: number; count: number } {
  const attrs = new AttrReader(node);
  const after = (axis: number) => dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  if (node.opType === 'Conv') return { stride: after(1), count: dims[1] };
  if (node.opType === 'ConvTranspose') return { stride: after(0), count: dims[0] };
  if (node.opType === 'Gemm' && attrs.int('transB', 0) !== 0) return { stride: 1, count: dims[1] };
  return { stride: after(dims.length - 2), count: dims[dims.length - 2] };
}

/**
 * Finds the weights of Conv, ConvTranspose, Gemm and MatMul nodes (each stored tensor once).
 * @param skip - returns the pattern a node matches, when it is to be left dense
 */
export function magnitudeTargets(model: ModelIR, external: ExternalMap, skip: (name: string) => string | undefined, minWeights: number): MagnitudeTarget[] {
  const seen = new Set<TensorProto>();
  const out: MagnitudeTarget[] = [];
  for (const node of model.graph.nodes) {
    if (!WEIGHTED_OPS.has(node.opType) || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const t = resolveConstant(model.graph, node.input[1]);
    if (!t || seen.has(t) || !FLOAT_TYPES.has(t.dataType) || dimsOf(t).length < 2) continue;
    seen.add(t);
    const dims = dimsOf(t);
    const { stride, count } = inputAxis(node, dims);
    const values = Float32Array.from(readFloats(t, external));
    const pattern = skip(nodeLabel(node));
    const skipped = pattern ? `skipped (${pattern})` : values.length < minWeights ? `fewer than ${minWeights} weights` : undefined;
    out.push({ node, tensor: t, values, inStride: stride, inCount: count, skipped });
  }
  return out;
}

function zeros(a: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === 0) n++;
  return n;
}

/** Zeros exactly the `k` smallest magnitudes of the arrays (ties broken in order). */
function zeroSmallest(arrays: Float32Array[], k: number): void {
  if (k <= 0) return;
  const bits = kthSmallestMagnitudeBits(arrays, k);
  let below = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (magnitudeBits(a[i]) < bits) below++;
  let ties = k - below;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const b = magnitudeBits(a[i]);
      if (b < bits) a[i] = 0;
      else if (b === bits && ties > 0) {
        a[i] = 0;
        ties--;
      }
    }
  }
}

/** Keeps the `n` largest of every `m` consecutive input-channel weights. @returns input channels left dense (remainder) */
function zeroNM(t: MagnitudeTarget, n: number, m: number): number {
  const a = t.values;
  const runs = a.length / (t.inStride * t.inCount);
  const full = Math.floor(t.inCount / m) * m;
  const idx = new Array<number>(m);
  for (let r = 0; r < runs; r++) {
    for (let s = 0; s < t.inStride; s++) {
      const base = r * t.inCount * t.inStride + s;
      for (let c = 0; c < full; c += m) {
        for (let j = 0; j < m; j++) idx[j] = base + (c + j) * t.inStride;
        idx.sort((x, y) => Math.abs(a[y]) - Math.abs(a[x]) || x - y);
        for (let j = n; j < m; j++) a[idx[j]] = 0;
      }
    }
  }
  return t.inCount - full;
}

/**
 * Zeros weights in place on the targets' value arrays.
 * @returns the per-layer figures (zeros before and after)
 */
export function magnitudePrune(targets: MagnitudeTarget[], opts: { sparsity: number; global: boolean; nm?: { n: number; m: number } }): { layers: MagnitudeLayerDto[]; notes: string[] } {
  const active = targets.filter((t) => !t.skipped);
  const before = new Map(targets.map((t) => [t, zeros(t.values)]));
  const notes: string[] = [];
  if (opts.nm) {
    const nm = opts.nm;
    for (const t of active) {
      const rest = zeroNM(t, nm.n, nm.m);
      if (rest) notes.push(`${nodeLabel(t.node)}: ${rest} of ${t.inCount} input channels do not fill a group of ${nm.m} and stay dense.`);
    }
  } else if (opts.global) {
    const total = active.reduce((s, t) => s + t.values.length, 0);
    zeroSmallest(active.map((t) => t.values), Math.round(opts.sparsity * total));
  } else {
    for (const t of active) zeroSmallest([t.values], Math.round(opts.sparsity * t.values.length));
  }
  const layers = targets.map((t) => {
    const z = zeros(t.values);
    return {
      node: nodeLabel(t.node),
      op: t.node.opType,
      weight: t.tensor.name,
      weights: t.values.length,
      zerosBefore: before.get(t) ?? 0,
      zerosAfter: z,
      sparsity: z / Math.max(1, t.values.length),
      ...(t.skipped ? { skipped: t.skipped } : {}),
    };
  });
  return { layers, notes };
}
