/** Shape rules of ops that size their output from values: Pad, Resize, ConstantOfShape, Range, TopK, reductions,
 * OneHot, NonZero. */
import { DataType } from '../onnx/proto';
import { isKnown, productDims, type Dim } from './dims';
import { intValues, like, MAX_FOLDED_ELEMENTS, normAxis, scalarValue, type InferRule, type TensorFacts } from './infer-types';

function withValue(f: TensorFacts, value: Dim[] | undefined): TensorFacts {
  return value && value.length <= MAX_FOLDED_ELEMENTS ? { ...f, value } : f;
}

/** Pad: pads from the attribute (before opset 11) or input, optionally on `axes` (opset 18). */
export const padRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const rank = x.shape.length;
  const pads = ctx.opset < 11 ? (ctx.attrs.ints('pads') ?? ctx.attrs.ints('paddings')) : intValues(ctx.inputs[1]);
  if (!pads) return [like(x, x.shape.map(() => null))];
  const axes = (ctx.has(3) ? intValues(ctx.inputs[3]) : undefined)?.map((a) => (a < 0 ? a + rank : a)) ?? x.shape.map((_, i) => i);
  const out = [...x.shape];
  axes.forEach((axis, i) => {
    const add = pads[i] + pads[i + axes.length];
    out[axis] = add === 0 ? out[axis] : isKnown(out[axis]) ? (out[axis] as number) + add : null;
  });
  return [like(x, out)];
};

/** Resize / Upsample: from `sizes`, else floor(dim · scale). */
export const resizeRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const op = ctx.node.opType;
  let scales: number[] | undefined;
  let sizes: number[] | undefined;
  if (op === 'Upsample') scales = ctx.opset < 9 ? ctx.attrs.floats('scales') : intValues(ctx.inputs[1]);
  else if (ctx.opset < 11) scales = intValues(ctx.inputs[1]);
  else {
    sizes = ctx.has(3) ? intValues(ctx.inputs[3]) : undefined;
    const s = ctx.has(2) ? intValues(ctx.inputs[2]) : undefined;
    scales = s && s.length > 0 ? s : undefined;
  }
  const rank = x.shape.length;
  const axes = (ctx.attrs.ints('axes') ?? (sizes ?? scales ?? []).map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  if (!sizes && !scales) return [like(x, x.shape.map(() => null))];
  const out = [...x.shape];
  axes.forEach((axis, i) => {
    if (sizes) out[axis] = sizes[i];
    else if (scales) out[axis] = scales[i] === 1 ? out[axis] : isKnown(out[axis]) ? Math.floor((out[axis] as number) * scales[i]) : null;
  });
  return [like(x, out)];
};

/** ConstantOfShape: the shape given as values; small results are folded. */
export const constantOfShapeRule: InferRule = (ctx) => {
  const dims = ctx.inputs[0]?.value;
  const t = ctx.attrs.raw('value')?.t;
  const dtype = t?.dataType ?? DataType.FLOAT;
  if (!dims) return [{ dtype, shape: ctx.inputs[0]?.shape && isKnown(ctx.inputs[0].shape[0]) ? new Array<Dim>(ctx.inputs[0].shape[0]).fill(null) : null }];
  const n = productDims(dims);
  const fill = t ? (t.int64Data[0] ?? t.int32Data[0] ?? t.floatData[0]) : 0;
  const value = isKnown(n) && n <= MAX_FOLDED_ELEMENTS && t?.rawData.length === 0 && fill !== undefined ? new Array<Dim>(n).fill(Number(fill)) : undefined;
  return [withValue({ dtype, shape: dims }, value)];
};

/** Range(start, limit, delta): 1-D of ceil((limit-start)/delta) elements. */
export const rangeRule: InferRule = (ctx) => {
  const [start, limit, delta] = ctx.inputs.map(scalarValue);
  const dtype = ctx.inputs[0]?.dtype ?? 0;
  if (start === undefined || limit === undefined || delta === undefined || delta === 0) return [{ dtype, shape: [null] }];
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const value = n <= MAX_FOLDED_ELEMENTS ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined;
  return [withValue({ dtype, shape: [n] }, value)];
};

/** TopK: the axis becomes k; values and int64 indices. */
export const topKRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null), { dtype: DataType.INT64, shape: null }];
  const k = ctx.opset < 10 ? ctx.attrs.int('k') : scalarValue(ctx.inputs[1]);
  const axis = normAxis(ctx.attrs.int('axis', -1), x.shape.length) ?? 0;
  const shape = x.shape.map((d, i) => (i === axis ? (k ?? null) : d));
  return [like(x, shape), { dtype: DataType.INT64, shape }];
};

/** ReduceX and ArgMax/ArgMin: reduced axes dropped or kept as 1. */
export const reduceRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const op = ctx.node.opType;
  const arg = op === 'ArgMax' || op === 'ArgMin';
  const dtype = arg ? DataType.INT64 : (x?.dtype ?? 0);
  if (!x?.shape) return [{ dtype, shape: null }];
  const keep = ctx.attrs.int('keepdims', 1) === 1;
  const rank = x.shape.length;
  let axes: number[] | undefined;
  if (arg) axes = [ctx.attrs.int('axis', 0)];
  else {
    const fromInput = op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
    axes = fromInput ? (ctx.has(1) ? intValues(ctx.inputs[1]) : []) : (ctx.attrs.ints('axes') ?? []);
    if (axes === undefined) return [{ dtype, shape: keep ? x.shape.map(() => null) : null }];
    if (axes.length === 0) {
      if (ctx.attrs.int('noop_with_empty_axes', 0) === 1) return [{ dtype, shape: x.shape }];
      axes = x.shape.map((_, i) => i);
    }
  }
  const set = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const shape = keep ? x.shape.map((d, i) => (set.has(i) ? 1 : d)) : x.shape.filter((_, i) => !set.has(i));
  return [{ dtype, shape }];
};

/** OneHot: depth inserted at `axis` of the indices' shape. */
export const oneHotRule: InferRule = (ctx) => {
  const [indices, depth, values] = ctx.inputs;
  if (!indices?.shape) return [like(values, null)];
  const rank = indices.shape.length + 1;
  let axis = ctx.attrs.int('axis', -1);
  if (axis < 0) axis += rank;
  const out = [...indices.shape];
  out.splice(axis, 0, scalarValue(depth) ?? null);
  return [like(values, out)];
};

/** NonZero: [rank, unknown count]. */
export const nonZeroRule: InferRule = (ctx) => [{ dtype: DataType.INT64, shape: [ctx.inputs[0]?.shape?.length ?? null, null] }];
