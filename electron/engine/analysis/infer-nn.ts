/** Shape rules of network layers: convolutions, pooling, Gemm/MatMul, normalization and recurrent layers. */
import { DataType } from '../onnx/proto';
import { isKnown, type Dim } from './dims';
import { like, type AttrReader, type InferRule, type NodeContext } from './infer-types';

/** Spatial output size of a convolution or pooling window along one axis. */
function windowOut(input: Dim, k: number, stride: number, dilation: number, padBegin: number, padEnd: number, autoPad: string, ceil: boolean): Dim {
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    if (stride === 1) return input;
    return isKnown(input) ? Math.ceil(input / stride) : null;
  }
  if (!isKnown(input)) return k === 1 && stride === 1 && padBegin + padEnd === 0 ? input : null;
  const eff = (k - 1) * dilation + 1;
  const pads = autoPad === 'VALID' ? 0 : padBegin + padEnd;
  const span = input + pads - eff;
  if (span < 0) return null;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // the last window must start inside the input or the left padding (PyTorch and ONNX >= 19)
  if (ceil && (out - 1) * stride >= input + padBegin) out -= 1;
  return out;
}

interface WindowAttrs {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: string;
}

function windowAttrs(a: AttrReader, spatial: number, kernel: number[]): WindowAttrs {
  return {
    kernel,
    strides: a.ints('strides') ?? new Array<number>(spatial).fill(1),
    dilations: a.ints('dilations') ?? new Array<number>(spatial).fill(1),
    pads: a.ints('pads') ?? new Array<number>(spatial * 2).fill(0),
    autoPad: a.string('auto_pad', 'NOTSET'),
  };
}

function spatialOut(x: Dim[], w: WindowAttrs, ceil: boolean): Dim[] {
  const spatial = x.length - 2;
  const out: Dim[] = [];
  for (let i = 0; i < spatial; i++) {
    out.push(windowOut(x[2 + i], w.kernel[i] ?? 1, w.strides[i] ?? 1, w.dilations[i] ?? 1, w.pads[i] ?? 0, w.pads[i + spatial] ?? 0, w.autoPad, ceil));
  }
  return out;
}

/** Conv, ConvInteger, QLinearConv, FusedConv: [N, M, spatial…]. */
export const convRule: InferRule = (ctx) => {
  const q = ctx.node.opType === 'QLinearConv';
  const x = ctx.inputs[0];
  const w = ctx.inputs[q ? 3 : 1];
  const dtype = ctx.node.opType === 'ConvInteger' ? DataType.INT32 : q ? (ctx.inputs[7]?.dtype ?? x?.dtype ?? 0) : (x?.dtype ?? 0);
  if (!x?.shape) return [{ dtype, shape: null }];
  const spatial = x.shape.length - 2;
  const kernel = ctx.attrs.ints('kernel_shape') ?? (w?.shape ? w.shape.slice(2).map((d) => (isKnown(d) ? d : 1)) : undefined);
  if (!kernel) return [{ dtype, shape: [x.shape[0], w?.shape?.[0] ?? null, ...new Array<Dim>(spatial).fill(null)] }];
  const attrs = windowAttrs(ctx.attrs, spatial, kernel);
  return [{ dtype, shape: [x.shape[0], w?.shape?.[0] ?? null, ...spatialOut(x.shape, attrs, false)] }];
};

/** ConvTranspose: [N, W[1]·group, spatial…]. */
export const convTransposeRule: InferRule = (ctx) => {
  const [x, w] = ctx.inputs;
  if (!x?.shape) return [like(x, null)];
  const a = ctx.attrs;
  const spatial = x.shape.length - 2;
  const group = a.int('group', 1);
  const channels = isKnown(w?.shape?.[1]) ? (w!.shape![1] as number) * group : null;
  const kernel = a.ints('kernel_shape') ?? w?.shape?.slice(2).map((d) => (isKnown(d) ? d : 1));
  const outputShape = a.ints('output_shape');
  const dims: Dim[] = [];
  for (let i = 0; i < spatial; i++) {
    const input = x.shape[2 + i];
    if (outputShape) {
      dims.push(outputShape[outputShape.length - spatial + i]);
      continue;
    }
    const s = a.ints('strides')?.[i] ?? 1;
    const autoPad = a.string('auto_pad', 'NOTSET');
    if (!isKnown(input) || !kernel) {
      dims.push(null);
    } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      dims.push(input * s);
    } else {
      const d = a.ints('dilations')?.[i] ?? 1;
      const pads = a.ints('pads') ?? [];
      const outPad = a.ints('output_padding')?.[i] ?? 0;
      dims.push(s * (input - 1) + outPad + (kernel[i] - 1) * d + 1 - (pads[i] ?? 0) - (pads[i + spatial] ?? 0));
    }
  }
  return [like(x, [x.shape[0], channels, ...dims])];
};

/** MaxPool, AveragePool, LpPool (and MaxPool's Indices output). */
export const poolRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null), { dtype: DataType.INT64, shape: null }];
  const kernel = ctx.attrs.ints('kernel_shape') ?? [];
  const attrs = windowAttrs(ctx.attrs, x.shape.length - 2, kernel);
  const shape = [x.shape[0], x.shape[1], ...spatialOut(x.shape, attrs, ctx.attrs.int('ceil_mode', 0) === 1)];
  return [like(x, shape), { dtype: DataType.INT64, shape }];
};

/** GlobalAveragePool, GlobalMaxPool, GlobalLpPool: spatial dims become 1. */
export const globalPoolRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  return [like(x, x?.shape ? [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)] : null)];
};

/** Gemm (and FusedGemm): [M, N] with transposes. */
export const gemmRule: InferRule = (ctx) => {
  const [a, b] = ctx.inputs;
  if (!a?.shape || !b?.shape || a.shape.length !== 2 || b.shape.length !== 2) return [like(a, null)];
  const m = ctx.attrs.int('transA', 0) ? a.shape[1] : a.shape[0];
  const n = ctx.attrs.int('transB', 0) ? b.shape[0] : b.shape[1];
  return [like(a, [m, n])];
};

/** Output shape of numpy matmul, or null. */
export function matmulShape(a: Dim[] | null | undefined, b: Dim[] | null | undefined): Dim[] | null {
  if (!a || !b || a.length === 0 || b.length === 0) return null;
  const aa = a.length === 1 ? [1, a[0]] : a;
  const bb = b.length === 1 ? [b[0], 1] : b;
  const batchA = aa.slice(0, -2);
  const batchB = bb.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    batch.push(da === 1 ? db : db === 1 ? da : da === db ? da : isKnown(da) ? da : isKnown(db) ? db : null);
  }
  const out = [...batch];
  if (a.length > 1) out.push(aa[aa.length - 2]);
  if (b.length > 1) out.push(bb[bb.length - 1]);
  return out;
}

/** MatMul, MatMulInteger (int32), QLinearMatMul, FusedMatMul, MatMulNBits. */
export const matmulRule: InferRule = (ctx) => {
  const op = ctx.node.opType;
  const a = ctx.inputs[0];
  if (op === 'MatMulNBits') {
    const n = ctx.attrs.int('N');
    return [like(a, a?.shape && n !== undefined ? [...a.shape.slice(0, -1), n] : null)];
  }
  let b = ctx.inputs[op === 'QLinearMatMul' ? 3 : 1]?.shape ?? null;
  let aShape = a?.shape ?? null;
  if (op === 'FusedMatMul') {
    const swap = (s: Dim[] | null) => (s && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
    if (ctx.attrs.int('transA', 0)) aShape = swap(aShape);
    if (ctx.attrs.int('transB', 0)) b = swap(b);
  }
  const dtype = op === 'MatMulInteger' ? DataType.INT32 : op === 'QLinearMatMul' ? (ctx.inputs[7]?.dtype ?? 0) : (a?.dtype ?? 0);
  return [{ dtype, shape: matmulShape(aShape, b) }];
};

/** BatchNormalization: Y like X; training-mode extra outputs are per-channel. */
export const batchNormRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const c = x?.shape?.[1] ?? null;
  const stat = { dtype: ctx.inputs[3]?.dtype ?? x?.dtype ?? 0, shape: [c] };
  return [like(x, x?.shape ?? null), stat, stat, stat, stat];
};

/** LayerNormalization: Y like X; Mean and InvStdDev keep the leading axes and 1 for the normalized ones. */
export const layerNormRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x?.shape) return [like(x, null)];
  const rank = x.shape.length;
  let axis = ctx.attrs.int('axis', -1);
  if (axis < 0) axis += rank;
  const statShape = x.shape.map((d, i) => (i < axis ? d : 1));
  const statType = ctx.attrs.int('stash_type', DataType.FLOAT);
  return [like(x, x.shape), { dtype: statType, shape: statShape }, { dtype: statType, shape: statShape }];
};

/** Normalization ops of com.microsoft with a residual: output 0 like the input. */
export const skipLayerNormRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  return [like(x, x?.shape ?? null), undefined, undefined, like(x, x?.shape ?? null)];
};

/** RNN, GRU, LSTM: Y and the final states from the sequence, batch, direction count and hidden size. */
export const recurrentRule: InferRule = (ctx: NodeContext) => {
  const x = ctx.inputs[0];
  const hidden = ctx.attrs.int('hidden_size') ?? null;
  const dirs = ctx.attrs.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const batchFirst = ctx.attrs.int('layout', 0) === 1;
  const s = x?.shape;
  if (!s || s.length !== 3) return [like(x, null), like(x, null), like(x, null)];
  const [seq, batch] = batchFirst ? [s[1], s[0]] : [s[0], s[1]];
  const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return [like(x, y), like(x, state), like(x, state)];
};

/** DepthToSpace / SpaceToDepth on NCHW. */
export const depthSpaceRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const b = ctx.attrs.int('blocksize', 1);
  const s = x?.shape;
  if (!s || s.length !== 4) return [like(x, null)];
  const scale = (d: Dim, f: number, up: boolean): Dim => (isKnown(d) ? (up ? d * f : d / f) : null);
  const toSpace = ctx.node.opType === 'DepthToSpace';
  return [like(x, [s[0], scale(s[1], b * b, !toSpace), scale(s[2], b, toSpace), scale(s[3], b, toSpace)])];
};

/** Facts of an attention op's output: ONNX Attention (opset 23) and com.microsoft Attention / MultiHeadAttention. */
export const attentionRule: InferRule = (ctx) => {
  const [q, k, v] = ctx.inputs;
  const qs = q?.shape;
  if (!qs) return [like(q, null)];
  const op = ctx.node.opType;
  if (ctx.node.domain === 'com.microsoft' && op === 'Attention') {
    const sizes = ctx.attrs.ints('qkv_hidden_sizes');
    const w = k?.shape;
    const hidden = sizes ? sizes[2] : isKnown(w?.[1]) ? (w![1] as number) / 3 : null;
    return [like(q, [qs[0], qs[1], hidden])];
  }
  if (ctx.node.domain === 'com.microsoft') {
    const vs = v?.shape;
    return [like(q, [qs[0], qs[1], vs && vs.length === 3 ? vs[2] : vs && vs.length === 4 ? mulKnown(vs[1], vs[3]) : qs[2]])];
  }
  const vs = v?.shape;
  if (qs.length === 4) return [like(q, [qs[0], qs[1], qs[2], vs?.[3] ?? null])];
  const heads = ctx.attrs.int('q_num_heads');
  const kvHeads = ctx.attrs.int('kv_num_heads');
  const vHead = vs?.length === 4 ? vs[3] : isKnown(vs?.[2]) && kvHeads ? (vs![2] as number) / kvHeads : null;
  return [like(q, [qs[0], qs[1], heads && isKnown(vHead) ? heads * vHead : vs?.length === 3 && heads === kvHeads ? vs[2] : null])];
};

function mulKnown(a: Dim, b: Dim): Dim {
  return isKnown(a) && isKnown(b) ? a * b : null;
}

/** Facts of the dtype-changing quantization ops (same shape). */
export const quantizeRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const op = ctx.node.opType;
  if (op === 'DequantizeLinear') return [{ dtype: ctx.inputs[1]?.dtype ?? DataType.FLOAT, shape: x?.shape ?? null }];
  if (op === 'DynamicQuantizeLinear') {
    return [{ dtype: DataType.UINT8, shape: x?.shape ?? null }, { dtype: DataType.FLOAT, shape: [] }, { dtype: DataType.UINT8, shape: [] }];
  }
  const dtype = ctx.attrs.int('output_dtype', 0) || ctx.inputs[2]?.dtype || DataType.UINT8;
  return [{ dtype, shape: x?.shape ?? null }];
};
