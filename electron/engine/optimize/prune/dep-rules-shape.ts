/** Dependency rules of ops that move channels around: Concat, Split, Flatten, Reshape, Transpose, Squeeze, Reduce, Pad, Resize. */
import type { NodeProto } from '../../onnx/proto';
import type { Layout } from './channel-graph';
import { axesOf, blockInputs, expandIds, normAxis, product, rankOf, type DepRule, type RuleContext } from './rule-context';

const REDUCE_OPS = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

function layoutAndRank(node: NodeProto, ctx: RuleContext): { x: Layout; rank: number } | undefined {
  const x = ctx.layout(node.input[0]);
  const rank = rankOf(ctx, node.input[0]);
  if (!x) return undefined;
  if (rank === undefined) {
    blockInputs(node, ctx, 'the rank of its input is unknown');
    return undefined;
  }
  return { x, rank };
}

const concat: DepRule = (node, ctx, attrs) => {
  const layouts = node.input.map((n) => (n ? ctx.layout(n) : undefined));
  if (!layouts.some(Boolean)) return;
  const rank = rankOf(ctx, node.output[0]);
  const axis = rank === undefined ? undefined : normAxis(attrs.int('axis', 0), rank);
  if (axis === undefined) return blockInputs(node, ctx, 'its axis or rank is unknown');
  const parts: Int32Array[] = [];
  for (let i = 0; i < node.input.length; i++) {
    const l = layouts[i];
    if (l && l.axis !== axis) return blockInputs(node, ctx, 'it concatenates along an axis other than the channels');
    if (l) {
      parts.push(l.ids);
      continue;
    }
    const size = ctx.shape(node.input[i])?.[axis];
    if (typeof size !== 'number') return blockInputs(node, ctx, `the channel count of input "${node.input[i]}" is unknown`);
    const fixed = ctx.cg.addSource({ name: node.input[i], op: 'input', kind: 'fixed', channels: size, convGroups: 1 });
    parts.push(Int32Array.from({ length: size }, (_, k) => fixed.first + k));
  }
  const ids = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    ids.set(p, o);
    o += p.length;
  }
  ctx.setLayout(node.output[0], { axis, ids });
};

const split: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const { x, rank } = lr;
  const axis = normAxis(attrs.int('axis', 0), rank);
  if (axis !== x.axis) {
    for (const o of node.output) if (o) ctx.setLayout(o, x);
    return;
  }
  let sizes = attrs.ints('split') ?? (node.input[1] ? ctx.values(node.input[1]) : undefined);
  if (!sizes && !node.input[1]) {
    const n = node.output.length;
    sizes = x.ids.length % n === 0 ? new Array<number>(n).fill(x.ids.length / n) : undefined;
  }
  if (!sizes || sizes.length !== node.output.length || sizes.reduce((a, b) => a + b, 0) !== x.ids.length) {
    return blockInputs(node, ctx, 'its split sizes are unknown');
  }
  const parts: Int32Array[] = [];
  let at = 0;
  for (let i = 0; i < sizes.length; i++) {
    const part = x.ids.slice(at, at + sizes[i]);
    at += sizes[i];
    parts.push(part);
    ctx.cg.keepOne.push(part);
    if (node.output[i]) ctx.setLayout(node.output[i], { axis, ids: part });
  }
  ctx.cg.shapeEdits.push({ kind: 'split', node, parts });
};

const flatten: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const { x, rank } = lr;
  const shape = ctx.shape(node.input[0]) ?? [];
  const raw = attrs.int('axis', 1);
  const a = raw < 0 ? raw + rank : raw;
  const outer = product(shape.slice(a, x.axis));
  const inner = product(shape.slice(x.axis + 1));
  if (x.axis < a || outer === undefined || inner === undefined) return blockInputs(node, ctx, 'it folds the channels into the batch dimension, or the spatial size is unknown');
  ctx.setLayout(node.output[0], { axis: 1, ids: expandIds(x.ids, outer, inner) });
};

const reshape: DepRule = (node, ctx) => {
  const x = ctx.layout(node.input[0]);
  if (!x) return;
  const s = ctx.shape(node.input[0]);
  const t = ctx.shape(node.output[0]);
  const c = x.axis;
  const literal = node.input[1] ? ctx.values(node.input[1]) : undefined;
  if (!s || !t || !literal || t.length <= c || !s.slice(0, c).every((d, i) => d === t[i])) {
    return blockInputs(node, ctx, 'it reshapes the channels in a way pruning cannot follow');
  }
  const inner = product(s.slice(c + 1));
  let ids: Int32Array;
  if (t[c] === x.ids.length) ids = x.ids;
  else if (t.length === c + 1 && inner !== undefined && t[c] === x.ids.length * inner) ids = expandIds(x.ids, 1, inner);
  else return blockInputs(node, ctx, 'it reshapes the channels in a way pruning cannot follow');
  const v = literal[c];
  if (v !== -1 && !(v === 0 && ids === x.ids)) {
    if (v !== t[c] || !ctx.constant(node.input[1])) return blockInputs(node, ctx, 'its target shape is computed at run time');
    ctx.cg.shapeEdits.push({ kind: 'reshape', node, dim: c, ids });
  }
  ctx.setLayout(node.output[0], { axis: c, ids });
};

const transpose: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const perm = attrs.ints('perm') ?? Array.from({ length: lr.rank }, (_, i) => lr.rank - 1 - i);
  const axis = perm.indexOf(lr.x.axis);
  if (axis < 0) return blockInputs(node, ctx, 'its permutation is invalid');
  ctx.setLayout(node.output[0], { axis, ids: lr.x.ids });
};

const squeeze: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  let axes = axesOf(node, ctx, attrs, 1, lr.rank);
  if (axes === null) axes = ctx.shape(node.input[0])?.flatMap((d, i) => (d === 1 ? [i] : [])) ?? undefined;
  if (!axes || axes.includes(lr.x.axis)) return blockInputs(node, ctx, 'it squeezes the channel axis, or its axes are unknown');
  ctx.setLayout(node.output[0], { axis: lr.x.axis - axes.filter((a) => a < lr.x.axis).length, ids: lr.x.ids });
};

const unsqueeze: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const outRank = rankOf(ctx, node.output[0]);
  const axes = outRank === undefined ? undefined : axesOf(node, ctx, attrs, 1, outRank);
  if (!axes || outRank === undefined) return blockInputs(node, ctx, 'its axes are unknown');
  const kept = Array.from({ length: outRank }, (_, i) => i).filter((i) => !axes.includes(i));
  ctx.setLayout(node.output[0], { axis: kept[lr.x.axis], ids: lr.x.ids });
};

const reduce: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const axes = axesOf(node, ctx, attrs, 1, lr.rank);
  if (!axes || axes.length === 0 || axes.includes(lr.x.axis)) return blockInputs(node, ctx, 'it reduces across the channels');
  const keep = attrs.int('keepdims', 1) !== 0;
  ctx.setLayout(node.output[0], { axis: keep ? lr.x.axis : lr.x.axis - axes.filter((a) => a < lr.x.axis).length, ids: lr.x.ids });
};

const pad: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const pads = attrs.ints('pads') ?? (node.input[1] ? ctx.values(node.input[1]) : undefined);
  const axes = node.input[3] ? axesOf(node, ctx, attrs, 3, lr.rank) : Array.from({ length: lr.rank }, (_, i) => i);
  if (!pads || !axes) return blockInputs(node, ctx, 'its pads are computed at run time');
  const k = axes.indexOf(lr.x.axis);
  if (k >= 0 && (pads[k] !== 0 || pads[k + axes.length] !== 0)) return blockInputs(node, ctx, 'it pads the channel axis');
  ctx.setLayout(node.output[0], lr.x);
};

const resize: DepRule = (node, ctx, attrs) => {
  const lr = layoutAndRank(node, ctx);
  if (!lr) return;
  const scalesIndex = node.opType === 'Upsample' || ctx.opset < 11 ? 1 : 2;
  const sizes = node.opType === 'Resize' && ctx.opset >= 11 ? node.input[3] : '';
  if (sizes) return blockInputs(node, ctx, 'it sets its output size with "sizes"');
  const scales = attrs.floats('scales') ?? (node.input[scalesIndex] ? ctx.values(node.input[scalesIndex]) : undefined);
  if (!scales || scales[lr.x.axis] !== 1) return blockInputs(node, ctx, 'it scales the channel axis, or its scales are unknown');
  ctx.setLayout(node.output[0], lr.x);
};

const readsShapeOnly: DepRule = () => undefined;

/** Rules of the ops that move channels, by op type. */
export const SHAPE_RULES: Record<string, DepRule> = {
  Concat: concat,
  Split: split,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Pad: pad,
  Resize: resize,
  Upsample: resize,
  Shape: readsShapeOnly,
  Size: readsShapeOnly,
  ...Object.fromEntries(REDUCE_OPS.map((op) => [op, reduce])),
};
