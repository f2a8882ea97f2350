/** Shape rules of tensor manipulation ops (Reshape, Transpose, Concat, Split, Slice, Squeeze, Gather, …) with value folding. */
import { DataType } from '../onnx/proto';
import { addDims, broadcastShapes, divDims, isKnown, productDims, type Dim } from './dims';
import { intValues, like, MAX_FOLDED_ELEMENTS, normAxis, type InferRule, type NodeContext, type TensorFacts } from './infer-types';

const INT64_MAX = 2 ** 62;

/** @returns an axes list from the attribute (older opsets) or from input `index` (newer ones). */
export function axesOf(ctx: NodeContext, index: number, attrUntil: number): number[] | undefined {
  if (ctx.opset < attrUntil) return ctx.attrs.ints('axes');
  return ctx.has(index) ? intValues(ctx.inputs[index]) : undefined;
}

function withValue(f: TensorFacts, value: Dim[] | undefined): TensorFacts {
  return value && value.length <= MAX_FOLDED_ELEMENTS ? { ...f, value } : f;
}

/** Shape: the input's dims as an int64 vector (its value is known, symbols included). */
export const shapeRule: InferRule = (ctx) => {
  const s = ctx.inputs[0]?.shape;
  if (!s) return [{ dtype: DataType.INT64, shape: [null] }];
  const r = s.length;
  const clamp = (v: number) => Math.min(r, Math.max(0, v < 0 ? v + r : v));
  const start = clamp(ctx.attrs.int('start', 0));
  const end = clamp(ctx.attrs.int('end', r));
  const value = s.slice(start, Math.max(start, end));
  return [{ dtype: DataType.INT64, shape: [value.length], value }];
};

/** Size: the element count as an int64 scalar. */
export const sizeRule: InferRule = (ctx) => {
  const s = ctx.inputs[0]?.shape;
  return [{ dtype: DataType.INT64, shape: [], ...(s ? { value: [productDims(s)] } : {}) }];
};

/** Reshape with a known target (0 copies a dim unless allowzero, -1 is inferred). */
export const reshapeRule: InferRule = (ctx) => {
  const [x, target] = ctx.inputs;
  const dims = target?.value;
  if (!dims) {
    const n = target?.shape?.[0];
    return [like(x, isKnown(n) ? new Array<Dim>(n).fill(null) : null)];
  }
  const allowZero = ctx.attrs.int('allowzero', 0) === 1;
  const out: Dim[] = dims.map((d, i) => (d === 0 && !allowZero ? (x?.shape?.[i] ?? null) : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const total = x?.shape ? productDims(x.shape) : null;
    const rest = productDims(out.filter((_, i) => i !== minus));
    out[minus] = divDims(total, rest);
  }
  return [withValue(like(x, out), x?.value)];
};

/** Flatten to 2-D around `axis`. */
export const flattenRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  let axis = ctx.attrs.int('axis', 1);
  if (axis < 0) axis += x.shape.length;
  return [withValue(like(x, [productDims(x.shape.slice(0, axis)), productDims(x.shape.slice(axis))]), x.value)];
};

/** Transpose by `perm` (reversed dims by default). */
export const transposeRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const perm = ctx.attrs.ints('perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
  return [like(x, perm.map((p) => x.shape![p] ?? null))];
};

/** Concat along `axis`; values of 1-D inputs are joined. */
export const concatRule: InferRule = (ctx) => {
  const inputs = ctx.inputs.filter((_, i) => ctx.has(i));
  const first = inputs.find((f) => f?.shape);
  if (!first?.shape || inputs.some((f) => !f?.shape)) return [like(first ?? inputs[0], null)];
  const rank = first.shape.length;
  const axis = normAxis(ctx.attrs.int('axis', 0), rank);
  if (axis === undefined) return [like(first, null)];
  const out = first.shape.map((_, i) => {
    if (i === axis) return inputs.reduce<Dim>((acc, f) => addDims(acc, f!.shape![i]), 0);
    return inputs.map((f) => f!.shape![i]).find(isKnown) ?? first.shape![i];
  });
  const value = rank === 1 && inputs.every((f) => f!.value) ? inputs.flatMap((f) => f!.value!) : undefined;
  return [withValue(like(first, out), value)];
};

/** Split into the node's outputs (sizes from `split`, evenly otherwise, `num_outputs` since opset 18). */
export const splitRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const count = ctx.node.output.length;
  if (!x?.shape) return new Array<TensorFacts>(count).fill(like(x, null));
  const axis = normAxis(ctx.attrs.int('axis', 0), x.shape.length);
  if (axis === undefined) return [];
  const sizes = ctx.opset < 13 ? ctx.attrs.ints('split') : ctx.has(1) ? intValues(ctx.inputs[1]) : undefined;
  const dim = x.shape[axis];
  const out: TensorFacts[] = [];
  for (let i = 0; i < count; i++) {
    let d: Dim = null;
    if (sizes) d = sizes[i] ?? null;
    else if (isKnown(dim)) {
      const chunk = Math.ceil(dim / count);
      d = i < count - 1 ? chunk : dim - chunk * (count - 1);
    } else d = divDims(dim, count);
    out.push(like(x, x.shape.map((s, j) => (j === axis ? d : s))));
  }
  return out;
};

/** Slice (attributes before opset 10, inputs after); values of 1-D inputs are sliced. */
export const sliceRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const old = ctx.opset < 10;
  const starts = old ? ctx.attrs.ints('starts') : intValues(ctx.inputs[1]);
  const ends = old ? ctx.attrs.ints('ends') : intValues(ctx.inputs[2]);
  const axes = (old ? ctx.attrs.ints('axes') : ctx.has(3) ? intValues(ctx.inputs[3]) : undefined) ?? starts?.map((_, i) => i);
  const steps = !old && ctx.has(4) ? intValues(ctx.inputs[4]) : starts?.map(() => 1);
  if (!starts || !ends || !axes || !steps) {
    const n = ctx.inputs[1]?.shape?.[0];
    // unknown bounds: the rank stays, sliced axes become unknown (all of them when the axes are unknown too)
    return [like(x, x.shape.map((d) => (isKnown(n) && n === 0 ? d : null)))];
  }
  const out = [...x.shape];
  let value = x.value && x.shape.length === 1 ? [...x.value] : undefined;
  for (let i = 0; i < axes.length; i++) {
    const axis = normAxis(axes[i], x.shape.length);
    if (axis === undefined) return [like(x, null)];
    const d = x.shape[axis];
    const step = steps[i] ?? 1;
    if (!isKnown(d)) {
      out[axis] = starts[i] === 0 && ends[i] >= INT64_MAX && step === 1 ? d : null;
      value = undefined;
      continue;
    }
    const [s, e] = sliceBounds(starts[i], ends[i], step, d);
    const n = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
    out[axis] = n;
    if (value) value = Array.from({ length: n }, (_, k) => value![s + k * step]);
  }
  return [withValue(like(x, out), value)];
};

function sliceBounds(start: number, end: number, step: number, dim: number): [number, number] {
  const fix = (v: number) => (v < 0 ? v + dim : v);
  if (step > 0) return [Math.min(Math.max(fix(start), 0), dim), Math.min(Math.max(fix(end), 0), dim)];
  return [Math.min(Math.max(fix(start), -1), dim - 1), Math.min(Math.max(fix(end), -1), dim - 1)];
}

/** Squeeze (axes attribute before opset 13, input after; all 1-dims without axes). */
export const squeezeRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const axes = axesOf(ctx, 1, 13);
  if (!axes && ctx.has(1)) return [like(x, null)];
  const drop = new Set(axes ? axes.map((a) => normAxis(a, x.shape!.length)) : x.shape.map((d, i) => (d === 1 ? i : -1)));
  if (!axes && x.shape.some((d) => !isKnown(d))) return [like(x, null)];
  return [withValue(like(x, x.shape.filter((_, i) => !drop.has(i))), x.value)];
};

/** Unsqueeze (axes attribute before opset 13, input after). */
export const unsqueezeRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const axes = axesOf(ctx, 1, 13);
  if (!x?.shape || !axes) return [like(x, null)];
  const rank = x.shape.length + axes.length;
  const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : x.shape[j++]);
  return [withValue(like(x, out), x.value)];
};

/** Gather along `axis`: data[:axis] + indices.shape + data[axis+1:]; folds values of small 1-D data. */
export const gatherRule: InferRule = (ctx) => {
  const [data, indices] = ctx.inputs;
  if (!data?.shape || !indices?.shape) return [like(data, null)];
  const axis = normAxis(ctx.attrs.int('axis', 0), data.shape.length);
  if (axis === undefined) return [like(data, null)];
  const out = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  let value: Dim[] | undefined;
  const idx = intValues(indices);
  if (data.value && data.shape.length === 1 && idx) {
    const n = data.value.length;
    value = idx.map((i) => data.value![i < 0 ? i + n : i] ?? null);
  }
  return [withValue(like(data, out), value)];
};

/** GatherElements: the indices' shape. GatherND: indices.shape[:-1] + data.shape[b + last:]. */
export const gatherElementsRule: InferRule = (ctx) => [like(ctx.inputs[0], ctx.inputs[1]?.shape ?? null)];

export const gatherNdRule: InferRule = (ctx) => {
  const [data, indices] = ctx.inputs;
  const last = indices?.shape?.[indices.shape.length - 1];
  if (!data?.shape || !indices?.shape || !isKnown(last)) return [like(data, null)];
  const b = ctx.attrs.int('batch_dims', 0);
  return [like(data, [...indices.shape.slice(0, -1), ...data.shape.slice(b + last)])];
};

/** Expand: broadcast of the input with the target shape. */
export const expandRule: InferRule = (ctx) => {
  const [x, target] = ctx.inputs;
  const dims = target?.value;
  if (!x?.shape || !dims) return [like(x, null)];
  return [like(x, broadcastShapes([x.shape, dims.map((d) => (d === -1 ? 1 : d))]))];
};

/** Tile: dims times repeats. */
export const tileRule: InferRule = (ctx) => {
  const [x, reps] = ctx.inputs;
  const r = intValues(reps);
  if (!x?.shape) return [like(x, null)];
  if (!r) return [like(x, x.shape.map(() => null))];
  return [like(x, x.shape.map((d, i) => (isKnown(d) ? d * r[i] : r[i] === 1 ? d : null)))];
};
