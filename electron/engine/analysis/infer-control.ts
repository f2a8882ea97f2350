/** Shape rules of control flow: If (branches merged), Loop and Scan (bodies inferred with their carried state). */
import { DataType } from '../onnx/proto';
import { isKnown, mergeDim, type Dim } from './dims';
import { normAxis, scalarValue, type InferRule, type NodeContext, type TensorFacts } from './infer-types';

/** Combines two facts about one value (two If branches, a loop's first and later iterations). */
export function mergeFacts(a: TensorFacts | undefined, b: TensorFacts | undefined): TensorFacts | undefined {
  if (!a || !b) return undefined;
  const shape = a.shape && b.shape && a.shape.length === b.shape.length ? a.shape.map((d, i) => mergeDim(d, b.shape![i])) : null;
  return { dtype: a.dtype || b.dtype, shape };
}

function graphAttr(ctx: NodeContext, name: string) {
  return ctx.attrs.raw(name)?.g;
}

/** If: each output is what both branches agree on. */
export const ifRule: InferRule = (ctx) => {
  const thenG = graphAttr(ctx, 'then_branch');
  const elseG = graphAttr(ctx, 'else_branch');
  if (!thenG || !elseG) return [];
  const a = ctx.inferSubgraph(thenG, []);
  const b = ctx.inferSubgraph(elseG, []);
  const cond = scalarValue(ctx.inputs[0]);
  if (cond !== undefined) return cond ? a : b;
  return ctx.node.output.map((_, i) => mergeFacts(a[i], b[i]));
};

/** Loop: final carried values (merged with their initial facts) and scan outputs stacked over the trip count. */
export const loopRule: InferRule = (ctx) => {
  const body = graphAttr(ctx, 'body');
  if (!body) return [];
  const carried = ctx.inputs.slice(2);
  const bodyInputs: Array<TensorFacts | undefined> = [{ dtype: DataType.INT64, shape: [] }, { dtype: DataType.BOOL, shape: [] }, ...carried];
  const first = ctx.inferSubgraph(body, bodyInputs);
  // a second pass with the merged carried facts catches values whose shape changes between iterations
  const merged = carried.map((c, i) => mergeFacts(c, first[1 + i]));
  const outs = ctx.inferSubgraph(body, [bodyInputs[0], bodyInputs[1], ...merged]);
  const n = carried.length;
  const trip = ctx.has(0) ? scalarValue(ctx.inputs[0]) : undefined;
  const condAlwaysTrue = !ctx.has(1) || (scalarValue(ctx.inputs[1]) === 1 && scalarValue(outs[0]) === 1);
  const tripDim: Dim = trip !== undefined && condAlwaysTrue ? trip : null;
  const result: Array<TensorFacts | undefined> = [];
  for (let i = 0; i < n; i++) result.push(mergeFacts(merged[i], outs[1 + i]));
  for (let k = 1 + n; k < outs.length; k++) {
    const s = outs[k];
    result.push(s ? { dtype: s.dtype, shape: s.shape ? [tripDim, ...s.shape] : null } : undefined);
  }
  return result;
};

/** Scan (opset 9+): final states and scan outputs with the sequence length inserted at their axes. */
export const scanRule: InferRule = (ctx) => {
  const body = graphAttr(ctx, 'body');
  const m = ctx.attrs.int('num_scan_inputs', 0);
  if (!body || ctx.opset < 9) return [];
  const states = ctx.inputs.slice(0, ctx.inputs.length - m);
  const scans = ctx.inputs.slice(ctx.inputs.length - m);
  const inAxes = ctx.attrs.ints('scan_input_axes') ?? scans.map(() => 0);
  let seq: Dim = null;
  const slices = scans.map((f, i) => {
    if (!f?.shape) return f && { dtype: f.dtype, shape: null };
    const axis = normAxis(inAxes[i], f.shape.length) ?? 0;
    if (seq === null || (!isKnown(seq) && isKnown(f.shape[axis]))) seq = f.shape[axis];
    return { dtype: f.dtype, shape: f.shape.filter((_, j) => j !== axis) };
  });
  const outs = ctx.inferSubgraph(body, [...states, ...slices]);
  const n = states.length;
  const outAxes = ctx.attrs.ints('scan_output_axes');
  const result: Array<TensorFacts | undefined> = outs.slice(0, n);
  for (let k = n; k < outs.length; k++) {
    const s = outs[k];
    if (!s?.shape) {
      result.push(s && { dtype: s.dtype, shape: null });
      continue;
    }
    const rank = s.shape.length + 1;
    const raw = outAxes?.[k - n] ?? 0;
    const axis = raw < 0 ? raw + rank : raw;
    const shape = [...s.shape];
    shape.splice(axis, 0, seq);
    result.push({ dtype: s.dtype, shape });
  }
  return result;
};
