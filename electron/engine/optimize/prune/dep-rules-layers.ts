/** Dependency rules of the layers that make and read channels: Conv, ConvTranspose, Gemm, MatMul and normalizations. */
import type { NodeProto } from '../../onnx/proto';
import { nodeLabel, rangeIds, type Layout } from './channel-graph';
import { blockInputs, expandIds, rankOf, type DepRule, type RuleContext } from './rule-context';
import { dimsOf } from './weights';

/** Adds a source for a node's output and the weight edits of its rows (and bias). @returns its ids */
function outputSource(node: NodeProto, ctx: RuleContext, o: { kind: 'conv' | 'grouped-conv' | 'conv-transpose' | 'gemm' | 'matmul'; channels: number; weightAxis: number; groups?: number }): Int32Array {
  const src = ctx.cg.addSource({ name: nodeLabel(node), op: node.opType, kind: o.kind, node, channels: o.channels, convGroups: o.groups ?? 1 });
  const ids = rangeIds(src.first, o.channels);
  ctx.cg.edits.push({ node, input: 1, axis: o.weightAxis, ids, role: 'out' });
  return ids;
}

/** Adds the edit of a bias-like input whose dims are [C] (or [1, C]); pins the channels for any other shape. */
function biasEdit(node: NodeProto, ctx: RuleContext, input: number, ids: Int32Array): void {
  const name = node.input[input];
  if (!name) return;
  const t = ctx.constant(name);
  const d = t ? dimsOf(t) : undefined;
  const size = d?.reduce((a, b) => a * b, 1);
  if (t && d && d.length >= 1 && d[d.length - 1] === ids.length && size === ids.length) {
    ctx.cg.edits.push({ node, input, axis: d.length - 1, ids, role: 'param' });
  } else if (!(t && size === 1)) {
    ctx.cg.block(ids, node, node.opType, `its bias "${name}" is ${t ? `of shape [${d?.join(', ')}]` : 'computed at run time'}`);
  }
}

/** The input layout of a layer, or undefined (pinned) when it is not on the expected axis or of the expected size. */
function inputLayout(node: NodeProto, ctx: RuleContext, axis: number | undefined, size: number): Layout | undefined {
  const x = ctx.layout(node.input[0]);
  if (!x) return undefined;
  if (axis === undefined || x.axis !== axis) {
    ctx.cg.block(x.ids, node, node.opType, 'it reads its input channels on another axis');
    return undefined;
  }
  if (x.ids.length !== size) {
    ctx.cg.block(x.ids, node, node.opType, `its weight expects ${size} input channels, the input has ${x.ids.length}`);
    return undefined;
  }
  return x;
}

const conv: DepRule = (node, ctx, attrs) => {
  const w = ctx.constant(node.input[1]);
  if (!w) return blockInputs(node, ctx, 'its weights are computed at run time');
  const [outC, inPerGroup] = dimsOf(w);
  const group = attrs.int('group', 1);
  const x0 = ctx.layout(node.input[0]);
  if (group === 1) {
    const x = inputLayout(node, ctx, 1, inPerGroup);
    if (x) ctx.cg.edits.push({ node, input: 1, axis: 1, ids: x.ids, role: 'in' });
    const ids = outputSource(node, ctx, { kind: 'conv', channels: outC, weightAxis: 0 });
    biasEdit(node, ctx, 2, ids);
    ctx.setLayout(node.output[0], { axis: 1, ids });
    return;
  }
  if (x0 && x0.axis === 1 && x0.ids.length === group && inPerGroup === 1 && outC % group === 0) {
    // depthwise: each output channel follows its one input channel
    const ids = expandIds(x0.ids, 1, outC / group);
    ctx.cg.edits.push({ node, input: 1, axis: 0, ids, role: 'depthwise' });
    biasEdit(node, ctx, 2, ids);
    ctx.cg.shapeEdits.push({ kind: 'group', node, ids: x0.ids });
    ctx.setLayout(node.output[0], { axis: 1, ids });
    return;
  }
  if (x0) ctx.cg.block(x0.ids, node, node.opType, `a grouped convolution (${group} groups) reads its input channels in groups`);
  if (outC % group !== 0) return;
  const ids = outputSource(node, ctx, { kind: 'grouped-conv', channels: outC, weightAxis: 0, groups: group });
  biasEdit(node, ctx, 2, ids);
  ctx.setLayout(node.output[0], { axis: 1, ids });
};

const convTranspose: DepRule = (node, ctx, attrs) => {
  const w = ctx.constant(node.input[1]);
  if (!w) return blockInputs(node, ctx, 'its weights are computed at run time');
  const [inC, outPerGroup] = dimsOf(w);
  if (attrs.int('group', 1) !== 1) return blockInputs(node, ctx, 'grouped transposed convolutions are not pruned');
  const x = inputLayout(node, ctx, 1, inC);
  if (x) ctx.cg.edits.push({ node, input: 1, axis: 0, ids: x.ids, role: 'in' });
  const ids = outputSource(node, ctx, { kind: 'conv-transpose', channels: outPerGroup, weightAxis: 1 });
  biasEdit(node, ctx, 2, ids);
  ctx.setLayout(node.output[0], { axis: 1, ids });
};

const gemm: DepRule = (node, ctx, attrs) => {
  const b = ctx.constant(node.input[1]);
  if (!b) return blockInputs(node, ctx, 'its weights are computed at run time');
  const transB = attrs.int('transB', 0) !== 0;
  const [b0, b1] = dimsOf(b);
  const k = transB ? b1 : b0;
  const n = transB ? b0 : b1;
  const x = attrs.int('transA', 0) !== 0 ? (blockInputs(node, ctx, 'it reads its input transposed (transA)'), undefined) : inputLayout(node, ctx, 1, k);
  if (x) ctx.cg.edits.push({ node, input: 1, axis: transB ? 1 : 0, ids: x.ids, role: 'in' });
  const ids = outputSource(node, ctx, { kind: 'gemm', channels: n, weightAxis: transB ? 0 : 1 });
  biasEdit(node, ctx, 2, ids);
  ctx.setLayout(node.output[0], { axis: 1, ids });
};

const matMul: DepRule = (node, ctx) => {
  const b = ctx.constant(node.input[1]);
  const bd = b ? dimsOf(b) : undefined;
  if (!b || !bd || bd.length !== 2) return blockInputs(node, ctx, b ? 'its weight is not a matrix' : 'its second operand is computed at run time');
  const rank = rankOf(ctx, node.input[0]);
  const x = inputLayout(node, ctx, rank === undefined ? undefined : rank - 1, bd[0]);
  if (x) ctx.cg.edits.push({ node, input: 1, axis: 0, ids: x.ids, role: 'in' });
  const outRank = rankOf(ctx, node.output[0]) ?? rank;
  if (outRank === undefined) return;
  const ids = outputSource(node, ctx, { kind: 'matmul', channels: bd[1], weightAxis: 1 });
  ctx.setLayout(node.output[0], { axis: outRank - 1, ids });
};

/** BatchNormalization and InstanceNormalization: per-channel parameters follow the channels. */
function perChannelParams(params: number[]): DepRule {
  return (node, ctx) => {
    const x = ctx.layout(node.input[0]);
    if (!x) return;
    if (x.axis !== 1) return blockInputs(node, ctx, 'it normalizes over axis 1, not the channel axis');
    if (node.output.slice(1).some((o) => o && (ctx.graph.consumers(o).length > 0 || ctx.graph.isOutput(o)))) {
      return blockInputs(node, ctx, 'its running statistics outputs are read');
    }
    for (const i of params) {
      const name = node.input[i];
      if (!name) continue;
      const t = ctx.constant(name);
      if (!t || dimsOf(t).length !== 1 || dimsOf(t)[0] !== x.ids.length) {
        return blockInputs(node, ctx, `its parameter "${name}" is ${t ? 'not one value per channel' : 'computed at run time'}`);
      }
    }
    for (const i of params) if (node.input[i]) ctx.cg.edits.push({ node, input: i, axis: 0, ids: x.ids, role: 'param' });
    ctx.setLayout(node.output[0], x);
  };
}

/** Rules of the layers, by op type (default ONNX domain). */
export const LAYER_RULES: Record<string, DepRule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  BatchNormalization: perChannelParams([1, 2, 3, 4]),
  InstanceNormalization: perChannelParams([1, 2]),
};
