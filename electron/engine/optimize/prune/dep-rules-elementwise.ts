/** Dependency rules of elementwise ops: channels of every operand are tied together; constant operands follow them. */
import type { NodeProto } from '../../onnx/proto';
import type { Layout } from './channel-graph';
import { blockInputs, rankOf, type DepRule, type RuleContext } from './rule-context';
import { dimsOf } from './weights';

/** Ops that keep every element where it is (one input that carries channels, or one that matters). */
export const UNARY_OPS = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'Celu', 'Gelu', 'Softplus', 'Softsign',
  'Mish', 'Erf', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Log', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Sin', 'Cos',
  'ThresholdedRelu', 'Identity', 'Cast', 'Not', 'IsNaN', 'IsInf', 'Shrink', 'Swish',
];

/** Pooling ops: channels on axis 1 pass through. */
export const POOL_OPS = ['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'];

/** Ops combining operands element by element, with broadcasting. */
export const ELEMENTWISE_OPS = [
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'PRelu', 'Where', 'Equal', 'Greater', 'Less',
  'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor', 'Mod', 'BitShift',
];

/** Extra outputs a pass-through op may have that must not be read (MaxPool indices, Dropout mask). */
function extraOutputsRead(node: NodeProto, ctx: RuleContext): boolean {
  return node.output.slice(1).some((o) => o !== '' && (ctx.graph.consumers(o).length > 0 || ctx.graph.isOutput(o)));
}

function passThrough(node: NodeProto, ctx: RuleContext): void {
  const x = ctx.layout(node.input[0]);
  if (!x) return;
  if (extraOutputsRead(node, ctx)) return blockInputs(node, ctx, 'its second output is read');
  ctx.setLayout(node.output[0], x);
}

const pool: DepRule = (node, ctx) => {
  const x = ctx.layout(node.input[0]);
  if (!x) return;
  if (x.axis !== 1) return blockInputs(node, ctx, 'it pools with channels off axis 1');
  passThrough(node, ctx);
};

const clip: DepRule = (node, ctx) => {
  for (const name of node.input.slice(1)) {
    if (name && ctx.shape(name)?.some((d) => d !== 1)) return blockInputs(node, ctx, `its bound "${name}" is not a scalar`);
  }
  passThrough(node, ctx);
};

/** Where an operand meets the output's channel axis. */
interface Operand {
  index: number;
  name: string;
  layout?: Layout;
  rank?: number;
}

/**
 * Ties the channels of every operand carrying them; constant operands with a value per channel get an edit; an operand
 * pruning cannot follow pins the channels.
 */
const elementwise: DepRule = (node, ctx) => {
  const ops: Operand[] = node.input.map((name, index) => ({ index, name, layout: name ? ctx.layout(name) : undefined, rank: name ? rankOf(ctx, name) : undefined }));
  const carried = ops.filter((o) => o.layout);
  if (carried.length === 0) return;
  const outRank = rankOf(ctx, node.output[0]) ?? Math.max(...ops.map((o) => o.rank ?? 0));
  const axisOf = (o: Operand) => (o.layout as Layout).axis + outRank - (o.rank ?? outRank);
  const wide = carried.filter((o) => (o.layout as Layout).ids.length > 1);
  const lead = wide[0] ?? carried[0];
  const axis = axisOf(lead);
  const size = (lead.layout as Layout).ids.length;
  if (carried.some((o) => o.rank === undefined) || wide.some((o) => axisOf(o) !== axis || (o.layout as Layout).ids.length !== size)) {
    return blockInputs(node, ctx, `${node.opType} combines channels that do not line up`);
  }
  const pending: Array<{ index: number; axis: number }> = [];
  for (const o of ops) {
    if (!o.name || (o.layout && (o.layout.ids.length === size || size === 1))) continue;
    const shape = ctx.shape(o.name);
    if (!shape) return blockInputs(node, ctx, `the shape of operand "${o.name}" is unknown`);
    const j = axis - (outRank - shape.length);
    if (j < 0 || shape[j] === 1) {
      if (o.layout) ctx.cg.block(o.layout.ids, node, node.opType, 'its single channel is broadcast over many');
      continue;
    }
    const t = shape[j] === size ? ctx.constant(o.name) : undefined;
    if (!t || dimsOf(t).length !== shape.length) {
      return blockInputs(node, ctx, `${node.opType} combines these channels with "${o.name}", whose channels pruning cannot follow`);
    }
    pending.push({ index: o.index, axis: j });
  }
  for (const p of pending) ctx.cg.edits.push({ node, input: p.index, axis: p.axis, ids: (lead.layout as Layout).ids, role: 'param' });
  for (const o of wide) if (o !== lead) ctx.cg.unite((lead.layout as Layout).ids, (o.layout as Layout).ids);
  ctx.setLayout(node.output[0], { axis, ids: (lead.layout as Layout).ids });
};

const softmax: DepRule = (node, ctx, attrs) => {
  const x = ctx.layout(node.input[0]);
  const rank = rankOf(ctx, node.input[0]);
  if (!x || rank === undefined) return;
  const raw = attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
  const axis = raw < 0 ? raw + rank : raw;
  if (ctx.opset >= 13 ? axis === x.axis : x.axis >= axis) return blockInputs(node, ctx, `${node.opType} normalizes across the channels`);
  ctx.setLayout(node.output[0], x);
};

/** Rules of elementwise ops, by op type. */
export const ELEMENTWISE_RULES: Record<string, DepRule> = {
  ...Object.fromEntries(UNARY_OPS.map((op) => [op, passThrough])),
  ...Object.fromEntries(POOL_OPS.map((op) => [op, pool])),
  ...Object.fromEntries(ELEMENTWISE_OPS.map((op) => [op, elementwise])),
  Dropout: passThrough,
  Clip: clip,
  Softmax: softmax,
  LogSoftmax: softmax,
  Hardmax: softmax,
};
