/** Shape and data-movement ops: Pad, Reshape/Flatten/Squeeze/Unsqueeze, Transpose, Concat, Slice, Split, Softmax. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto } from '../../onnx/proto';
import { attrFloat, attrInt, attrInts, attrString, normAxis, type ConvertContext, type Value } from './convert-context';
import { identity, invert, isMemoryNoop, permuteShape } from './layout';
import { BuiltinOperator, BuiltinOptions } from './tflite-builder';
import { ConcatenationOptions } from './generated/tflite/concatenation-options';
import { PadOptions } from './generated/tflite/pad-options';
import { PadV2Options } from './generated/tflite/pad-v2options';
import { SoftmaxOptions } from './generated/tflite/softmax-options';
import { SliceOptions } from './generated/tflite/slice-options';
import { StridedSliceOptions } from './generated/tflite/strided-slice-options';
import { SplitOptions } from './generated/tflite/split-options';
import { SplitVOptions } from './generated/tflite/split-voptions';
import { ResizeBilinearOptions } from './generated/tflite/resize-bilinear-options';
import { ResizeNearestNeighborOptions } from './generated/tflite/resize-nearest-neighbor-options';

/** Pads a stored tensor by `pads` ([before, after] per TFLite dim) with a constant: PAD for 0, else PADV2. */
export function emitPad(ctx: ConvertContext, v: Value, pads: number[][], value: number, name: string): Value {
  const padsT = ctx.b.addConstI32(`${name}/paddings`, [pads.length, 2], pads.flat());
  const inv = invert(v.perm);
  const shape = v.shape.map((d, onnxDim) => d + pads[inv[onnxDim]][0] + pads[inv[onnxDim]][1]);
  const out = ctx.activation(name, shape, v.perm);
  if (value === 0) {
    ctx.emit({ op: BuiltinOperator.PAD, inputs: [v.tensor, padsT], outputs: [out.tensor], options: { type: BuiltinOptions.PadOptions, write: (b) => PadOptions.createPadOptions(b) } });
  } else {
    const valueT = ctx.b.addConstF32(`${name}/value`, [], Float32Array.of(value));
    ctx.emit({ op: BuiltinOperator.PADV2, inputs: [v.tensor, padsT, valueT], outputs: [out.tensor], options: { type: BuiltinOptions.PadV2Options, write: (b) => PadV2Options.createPadV2Options(b) } });
  }
  return { ...out, nonNegative: v.nonNegative && value >= 0 };
}

/** ONNX Pad (constant mode) → PAD / PADV2 with the pads remapped to the stored order. */
export function convertPad(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const mode = attrString(node, 'mode', 'constant');
  if (mode !== 'constant') throw new StudioError('UNSUPPORTED_OP', `Pad "${node.name}" uses mode "${mode}"; only constant padding exports.`);
  const pads = ctx.opset >= 11 ? ctx.intConst(node.input[1]) : attrInts(node, 'pads');
  if (!pads) throw new StudioError('UNSUPPORTED_OP', `Pad "${node.name}" has computed pads; TFLite needs constant ones.`);
  if (node.input[3]) throw new StudioError('UNSUPPORTED_OP', `Pad "${node.name}" pads selected axes; not supported yet.`);
  const value = ctx.opset >= 11 ? (ctx.floatConst(node.input[2] ?? '')?.data[0] ?? 0) : attrFloat(node, 'value', 0);
  const r = x.shape.length;
  const stored = x.perm.map((onnxDim) => [pads[onnxDim], pads[onnxDim + r]]);
  const out = emitPad(ctx, x, stored, value, node.output[0]);
  ctx.define(node.output[0], out);
}

/** Reshape-like ops (Reshape, Flatten, Squeeze, Unsqueeze): the input in ONNX order, then RESHAPE. */
export function convertReshape(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const shape = reshapeTarget(ctx, node, x.shape);
  const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  if (count(shape) !== count(x.shape)) throw new StudioError('CONVERSION_FAILED', `${node.opType} "${node.name}" maps ${x.shape.join('×')} to ${shape.join('×')}; the element counts differ.`);
  if (x.constData || x.constInts) {
    ctx.define(node.output[0], { ...x, tensor: -1, shape, perm: identity(shape.length) });
    return;
  }
  // stored order equals ONNX order in memory when the layout only moves dims of size 1
  const src = isMemoryNoop(x.shape, x.perm) ? x : ctx.plain(x, node.input[0]);
  const out = ctx.activation(node.output[0], shape, identity(shape.length));
  ctx.reshapeOp(src.tensor, out.tensor, shape);
  ctx.define(node.output[0], { ...out, nonNegative: x.nonNegative });
}

function reshapeTarget(ctx: ConvertContext, node: NodeProto, inShape: number[]): number[] {
  const r = inShape.length;
  switch (node.opType) {
    case 'Flatten': {
      const axis = normAxis(attrInt(node, 'axis', 1), r);
      const a = inShape.slice(0, axis).reduce((p, q) => p * q, 1);
      return [a, inShape.slice(axis).reduce((p, q) => p * q, 1)];
    }
    case 'Squeeze': {
      const axes = (ctx.opset >= 13 ? ctx.intConst(node.input[1] ?? '') : attrInts(node, 'axes'))?.map((a) => normAxis(a, r));
      return inShape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
    }
    case 'Unsqueeze': {
      const axesRaw = ctx.opset >= 13 ? ctx.intConst(node.input[1] ?? '') : attrInts(node, 'axes');
      if (!axesRaw) throw new StudioError('UNSUPPORTED_OP', `Unsqueeze "${node.name}" has computed axes.`);
      const outRank = r + axesRaw.length;
      const axes = axesRaw.map((a) => normAxis(a, outRank));
      const out: number[] = [];
      let k = 0;
      for (let i = 0; i < outRank; i++) out.push(axes.includes(i) ? 1 : inShape[k++]);
      return out;
    }
    default: {
      const target = ctx.intConst(node.input[1]);
      if (!target) throw new StudioError('UNSUPPORTED_OP', `Reshape "${node.name}" has a computed shape; TFLite export needs a constant one.`);
      const allowZero = attrInt(node, 'allowzero', 0) === 1;
      const shape = target.map((d, i) => (d === 0 && !allowZero ? inShape[i] : d));
      const known = shape.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
      const total = inShape.reduce((p, q) => p * q, 1);
      return shape.map((d) => (d === -1 ? total / known : d));
    }
  }
}

/** Transpose: no operator at all, the stored tensor is relabelled with the composed permutation. */
export function convertTranspose(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const r = x.shape.length;
  const p = attrInts(node, 'perm') ?? identity(r).reverse();
  const pinv = invert(p);
  // stored dim i holds ONNX input dim x.perm[i] = output dim pinv[x.perm[i]]
  const perm = x.perm.map((d) => pinv[d]);
  const shape = p.map((d) => x.shape[d]);
  if (x.constData || x.constInts) {
    ctx.define(node.output[0], { ...x, tensor: -1, shape, perm });
    return;
  }
  ctx.define(node.output[0], { ...x, shape, perm });
}

/** Concat → CONCATENATION on the stored axis (inputs brought to one layout). */
export function convertConcat(ctx: ConvertContext, node: NodeProto): void {
  const inputs = node.input.filter((n) => n).map((n) => ctx.get(n));
  const lead = inputs.find((v) => !v.constData && !v.constInts) ?? inputs[0];
  const r = lead.shape.length;
  const axis = normAxis(attrInt(node, 'axis', 0), r);
  if (inputs.every((v) => v.constInts)) {
    ctx.define(node.output[0], { tensor: -1, shape: [inputs.reduce((a, v) => a + v.shape[0], 0)], perm: [0], constInts: inputs.flatMap((v) => v.constInts ?? []) });
    return;
  }
  const aligned = inputs.map((v, i) => ctx.tensorOf(ctx.inLayout(v, lead.perm, node.input[i]), `${node.name}/in${i}`));
  const shape = lead.shape.slice();
  shape[axis] = inputs.reduce((a, v) => a + v.shape[axis], 0);
  const out = ctx.activation(node.output[0], shape, lead.perm);
  const storedAxis = lead.perm.indexOf(axis);
  ctx.emit({ op: BuiltinOperator.CONCATENATION, inputs: aligned, outputs: [out.tensor], options: { type: BuiltinOptions.ConcatenationOptions, write: (b) => ConcatenationOptions.createConcatenationOptions(b, storedAxis, 0) } });
  ctx.define(node.output[0], { ...out, nonNegative: inputs.every((v) => v.nonNegative) });
}

/** Softmax → SOFTMAX on the last stored axis (the layout is changed so the ONNX axis is last). */
export function convertSoftmax(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const r = x.shape.length;
  const axis = normAxis(attrInt(node, 'axis', ctx.opset >= 13 ? -1 : 1), r);
  if (ctx.opset < 13 && axis !== r - 1) throw new StudioError('UNSUPPORTED_OP', `Softmax "${node.name}" (opset ${ctx.opset}) flattens from axis ${axis}; only the last axis exports.`);
  const perm = x.perm[r - 1] === axis ? x.perm : [...x.perm.filter((d) => d !== axis), axis];
  const input = ctx.inLayout(x, perm, node.input[0]);
  const out = ctx.activation(node.output[0], x.shape, perm);
  ctx.emit({ op: BuiltinOperator.SOFTMAX, inputs: [input.tensor], outputs: [out.tensor], options: { type: BuiltinOptions.SoftmaxOptions, write: (b) => SoftmaxOptions.createSoftmaxOptions(b, 1) } });
  ctx.define(node.output[0], { ...out, nonNegative: true });
}

/** Slice with constant bounds → SLICE (steps of 1) or STRIDED_SLICE, on the stored axes. */
export function convertSlice(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const r = x.shape.length;
  const starts = ctx.opset >= 10 ? ctx.intConst(node.input[1]) : attrInts(node, 'starts');
  const ends = ctx.opset >= 10 ? ctx.intConst(node.input[2]) : attrInts(node, 'ends');
  if (!starts || !ends) throw new StudioError('UNSUPPORTED_OP', `Slice "${node.name}" has computed bounds; TFLite export needs constant ones.`);
  const axes = (ctx.opset >= 10 ? ctx.intConst(node.input[3] ?? '') : attrInts(node, 'axes')) ?? identity(starts.length);
  const steps = (ctx.opset >= 10 ? ctx.intConst(node.input[4] ?? '') : undefined) ?? starts.map(() => 1);
  const begin = new Array<number>(r).fill(0);
  const end = x.shape.slice();
  const step = new Array<number>(r).fill(1);
  axes.forEach((a0, i) => {
    const a = normAxis(a0, r);
    const dim = x.shape[a];
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
    step[a] = steps[i];
    if (steps[i] < 0) throw new StudioError('UNSUPPORTED_OP', `Slice "${node.name}" steps backwards; not supported yet.`);
    begin[a] = clamp(starts[i], 0, dim);
    end[a] = clamp(ends[i], 0, dim);
  });
  const shape = x.shape.map((_, a) => Math.max(0, Math.ceil((end[a] - begin[a]) / step[a])));
  const out = ctx.activation(node.output[0], shape, x.perm);
  const input = ctx.tensorOf(x, node.input[0]);
  const sb = permuteShape(begin, x.perm);
  if (step.every((s) => s === 1)) {
    const beginT = ctx.b.addConstI32(`${node.name}/begin`, [r], sb);
    const sizeT = ctx.b.addConstI32(`${node.name}/size`, [r], permuteShape(shape, x.perm));
    ctx.emit({ op: BuiltinOperator.SLICE, inputs: [input, beginT, sizeT], outputs: [out.tensor], options: { type: BuiltinOptions.SliceOptions, write: (b) => SliceOptions.createSliceOptions(b) } });
  } else {
    const beginT = ctx.b.addConstI32(`${node.name}/begin`, [r], sb);
    const endT = ctx.b.addConstI32(`${node.name}/end`, [r], permuteShape(end, x.perm));
    const strideT = ctx.b.addConstI32(`${node.name}/strides`, [r], permuteShape(step, x.perm));
    ctx.emit({ op: BuiltinOperator.STRIDED_SLICE, inputs: [input, beginT, endT, strideT], outputs: [out.tensor], options: { type: BuiltinOptions.StridedSliceOptions, write: (b) => StridedSliceOptions.createStridedSliceOptions(b, 0, 0, 0, 0, 0, false) } });
  }
  ctx.define(node.output[0], { ...out, nonNegative: x.nonNegative });
}

/** Split → SPLIT (equal parts) or SPLIT_V, on the stored axis. */
export function convertSplit(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const r = x.shape.length;
  const axis = normAxis(attrInt(node, 'axis', 0), r);
  const n = node.output.length;
  const sizes = (ctx.opset >= 13 ? ctx.intConst(node.input[1] ?? '') : attrInts(node, 'split')) ?? new Array<number>(n).fill(Math.ceil(x.shape[axis] / n)).map((s, i) => Math.min(s, x.shape[axis] - s * i));
  const storedAxis = x.perm.indexOf(axis);
  const outs = sizes.map((s, i) => {
    const shape = x.shape.slice();
    shape[axis] = s;
    return ctx.activation(node.output[i], shape, x.perm);
  });
  const axisT = ctx.b.addConstI32(`${node.name}/axis`, [], [storedAxis]);
  const input = ctx.tensorOf(x, node.input[0]);
  if (sizes.every((s) => s === sizes[0])) {
    ctx.emit({ op: BuiltinOperator.SPLIT, inputs: [axisT, input], outputs: outs.map((o) => o.tensor), options: { type: BuiltinOptions.SplitOptions, write: (b) => SplitOptions.createSplitOptions(b, n) } });
  } else {
    const sizesT = ctx.b.addConstI32(`${node.name}/sizes`, [n], sizes);
    ctx.emit({ op: BuiltinOperator.SPLIT_V, inputs: [input, sizesT, axisT], outputs: outs.map((o) => o.tensor), options: { type: BuiltinOptions.SplitVOptions, write: (b) => SplitVOptions.createSplitVOptions(b, n) } });
  }
  outs.forEach((o, i) => ctx.define(node.output[i], { ...o, nonNegative: x.nonNegative }));
}

/** Resize (nearest, linear; 4-D, spatial axes only) → RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR in NHWC. */
export function convertResize(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  if (x.shape.length !== 4) throw new StudioError('UNSUPPORTED_OP', `Resize "${node.name}" has a ${x.shape.length}-D input; only 4-D exports.`);
  const mode = attrString(node, 'mode', 'nearest');
  const ctm = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  const sizes = ctx.intConst(node.input[3] ?? '');
  const scales = ctx.floatConst(node.input[2] ?? '')?.data;
  const outHW = sizes && sizes.length === 4 ? [sizes[2], sizes[3]] : scales && scales.length === 4 ? [Math.floor(x.shape[2] * scales[2]), Math.floor(x.shape[3] * scales[3])] : undefined;
  if (!outHW) throw new StudioError('UNSUPPORTED_OP', `Resize "${node.name}" has computed sizes; TFLite export needs constant ones.`);
  if ((sizes && (sizes[0] !== x.shape[0] || sizes[1] !== x.shape[1])) || (scales && (scales[0] !== 1 || scales[1] !== 1))) {
    throw new StudioError('UNSUPPORTED_OP', `Resize "${node.name}" scales batch or channels; only height and width export.`);
  }
  const alignCorners = ctm === 'align_corners';
  const halfPixel = ctm === 'half_pixel' || ctm === 'pytorch_half_pixel';
  if (!alignCorners && !halfPixel && ctm !== 'asymmetric') throw new StudioError('UNSUPPORTED_OP', `Resize "${node.name}" uses coordinate mode "${ctm}"; not supported.`);
  if (mode !== 'nearest' && mode !== 'linear') throw new StudioError('UNSUPPORTED_OP', `Resize "${node.name}" uses mode "${mode}"; only nearest and linear export.`);
  const input = ctx.inLayout(x, [0, 2, 3, 1], node.input[0]);
  const sizeT = ctx.b.addConstI32(`${node.name}/size`, [2], outHW);
  const out = ctx.activation(node.output[0], [x.shape[0], x.shape[1], ...outHW], [0, 2, 3, 1]);
  if (mode === 'nearest') {
    ctx.emit({ op: BuiltinOperator.RESIZE_NEAREST_NEIGHBOR, inputs: [input.tensor, sizeT], outputs: [out.tensor], options: { type: BuiltinOptions.ResizeNearestNeighborOptions, write: (b) => ResizeNearestNeighborOptions.createResizeNearestNeighborOptions(b, alignCorners, halfPixel) } });
  } else {
    ctx.emit({ op: BuiltinOperator.RESIZE_BILINEAR, inputs: [input.tensor, sizeT], outputs: [out.tensor], options: { type: BuiltinOptions.ResizeBilinearOptions, write: (b) => ResizeBilinearOptions.createResizeBilinearOptions(b, 0, 0, alignCorners, halfPixel) } });
  }
  ctx.define(node.output[0], { ...out, nonNegative: x.nonNegative });
}
