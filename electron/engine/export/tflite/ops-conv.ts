/** Convolution and pooling: Conv (BatchNormalization folded in, groups → DepthwiseConv2D), pools, BatchNormalization. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto } from '../../onnx/proto';
import { attrFloat, attrInt, attrInts, type ConvertContext } from './convert-context';
import { NHWC, transposeData } from './layout';
import { BuiltinOperator, BuiltinOptions, type OpOptions } from './tflite-builder';
import { ActivationFunctionType } from './generated/tflite/activation-function-type';
import { Conv2DOptions } from './generated/tflite/conv2doptions';
import { DepthwiseConv2DOptions } from './generated/tflite/depthwise-conv2doptions';
import { Padding } from './generated/tflite/padding';
import { Pool2DOptions } from './generated/tflite/pool2doptions';
import { ReducerOptions } from './generated/tflite/reducer-options';
import { MulOptions } from './generated/tflite/mul-options';
import { AddOptions } from './generated/tflite/add-options';
import { emitPad } from './ops-shape';

/** Per spatial axis: TFLite padding or explicit pads, and the output size. */
interface Spatial {
  padding: Padding;
  explicit?: number[][];
  out: number[];
}

/** Chooses VALID, SAME or an explicit pad so the TFLite window positions equal ONNX's. */
function spatial(node: NodeProto, inHW: number[], kernel: number[], strides: number[], dilations: number[], ceil: boolean): Spatial {
  const autoPad = node.attribute.find((a) => a.name === 'auto_pad');
  const mode = autoPad ? new TextDecoder().decode(autoPad.s) : 'NOTSET';
  let pads = attrInts(node, 'pads') ?? [0, 0, 0, 0];
  const eff = kernel.map((k, i) => (k - 1) * dilations[i] + 1);
  if (mode === 'SAME_UPPER' || mode === 'SAME_LOWER') {
    const out = inHW.map((n, i) => Math.ceil(n / strides[i]));
    const total = out.map((o, i) => Math.max((o - 1) * strides[i] + eff[i] - inHW[i], 0));
    pads = mode === 'SAME_UPPER' ? [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))] : [...total.map((t) => t - Math.floor(t / 2)), ...total.map((t) => Math.floor(t / 2))];
  } else if (mode === 'VALID') {
    pads = [0, 0, 0, 0];
  }
  const round = ceil ? Math.ceil : Math.floor;
  const out = inHW.map((n, i) => round((n + pads[i] + pads[i + 2] - eff[i]) / strides[i]) + 1);
  // the end padding the last window actually needs (ceil mode can need more than ONNX lists)
  const endNeed = out.map((o, i) => Math.max((o - 1) * strides[i] + eff[i] - inHW[i] - pads[i], 0));
  const begin = [pads[0], pads[1]];
  if (begin.every((p) => p === 0) && endNeed.every((p) => p === 0)) return { padding: Padding.VALID, out };
  const sameOut = inHW.map((n, i) => Math.ceil(n / strides[i]));
  const sameTotal = sameOut.map((o, i) => Math.max((o - 1) * strides[i] + eff[i] - inHW[i], 0));
  const isSame = out.every((o, i) => o === sameOut[i] && begin[i] === Math.floor(sameTotal[i] / 2) && endNeed[i] === sameTotal[i] - begin[i]);
  if (isSame) return { padding: Padding.SAME, out };
  return { padding: Padding.VALID, out, explicit: [[0, 0], [begin[0], endNeed[0]], [begin[1], endNeed[1]], [0, 0]] };
}

/** Conv → CONV_2D or DEPTHWISE_CONV_2D (NHWC), with a following BatchNormalization folded into its weights. */
export function convertConv(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  if (x.shape.length !== 4) throw new StudioError('UNSUPPORTED_OP', `Conv "${node.name}" has a ${x.shape.length}-D input; only 2-D convolutions (4-D tensors) export to TFLite.`);
  const w = ctx.floatConst(node.input[1]);
  if (!w) throw new StudioError('UNSUPPORTED_OP', `Conv "${node.name}" has computed weights; TFLite needs constant filters.`);
  const [outC, inPerGroup, kH, kW] = w.shape;
  const group = attrInt(node, 'group', 1);
  const inC = x.shape[1];
  const depthwise = group > 1 && group === inC && inPerGroup === 1;
  if (group > 1 && !depthwise) throw new StudioError('UNSUPPORTED_OP', `Conv "${node.name}" has ${group} groups of ${inPerGroup} channels; only plain and depthwise convolutions export to TFLite.`);
  const weights = w.data.slice();
  const bias = ctx.floatConst(node.input[2] ?? '')?.data.slice() ?? new Float32Array(outC);
  let outName = node.output[0];
  const next = ctx.consumers(outName);
  if (next.length === 1 && next[0].opType === 'BatchNormalization' && !ctx.graph.isOutput(outName)) {
    const bn = next[0];
    const [scale, shift] = bnAffine(ctx, bn);
    if (scale) {
      const per = weights.length / outC;
      for (let o = 0; o < outC; o++) {
        for (let i = 0; i < per; i++) weights[o * per + i] *= scale[o];
        bias[o] = bias[o] * scale[o] + shift[o];
      }
      ctx.skip.add(bn);
      outName = bn.output[0];
    }
  }
  const strides = attrInts(node, 'strides') ?? [1, 1];
  const dil = attrInts(node, 'dilations') ?? [1, 1];
  const sp = spatial(node, [x.shape[2], x.shape[3]], [kH, kW], strides, dil, false);
  let input = ctx.inLayout(x, NHWC, node.input[0]);
  if (sp.explicit) input = emitPad(ctx, input, sp.explicit, 0, `${node.name}/pad`);
  // ONNX [O, I, kH, kW] → TFLite [O, kH, kW, I]; depthwise [O, 1, kH, kW] → [1, kH, kW, O]
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inPerGroup];
  const filterData = depthwise ? transposeData(weights, [outC, kH, kW], [1, 2, 0]) : transposeData(weights, [outC, inPerGroup, kH, kW], [0, 2, 3, 1]);
  const filterT = ctx.b.addConstF32(`${node.name}/filter`, filterShape, filterData);
  const biasT = ctx.b.addConstF32(`${node.name}/bias`, [outC], bias);
  const out = ctx.activation(outName, [x.shape[0], outC, ...sp.out], NHWC);
  const options = (act: ActivationFunctionType): OpOptions =>
    depthwise
      ? { type: BuiltinOptions.DepthwiseConv2DOptions, write: (b) => DepthwiseConv2DOptions.createDepthwiseConv2DOptions(b, sp.padding, strides[1], strides[0], outC / inC, act, dil[1], dil[0]) }
      : { type: BuiltinOptions.Conv2DOptions, write: (b) => Conv2DOptions.createConv2DOptions(b, sp.padding, strides[1], strides[0], act, dil[1], dil[0], 0) };
  ctx.emit({ op: depthwise ? BuiltinOperator.DEPTHWISE_CONV_2D : BuiltinOperator.CONV_2D, inputs: [input.tensor, filterT, biasT], outputs: [out.tensor], options: options(ActivationFunctionType.NONE) }, options);
  ctx.define(outName, out);
}

/** BatchNormalization as y = x * scale + shift per channel. */
function bnAffine(ctx: ConvertContext, bn: NodeProto): [Float32Array | undefined, Float32Array] {
  const [g, beta, mean, varc] = [1, 2, 3, 4].map((i) => ctx.floatConst(bn.input[i])?.data);
  if (!g || !beta || !mean || !varc) return [undefined, new Float32Array()];
  const eps = attrFloat(bn, 'epsilon', 1e-5);
  const scale = g.map((gi, i) => gi / Math.sqrt(varc[i] + eps));
  const shift = beta.map((bi, i) => bi - mean[i] * scale[i]);
  return [scale, shift];
}

/** A BatchNormalization not folded into a Conv: MUL and ADD by per-channel constants. */
export function convertBatchNorm(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const [scale, shift] = bnAffine(ctx, node);
  if (!scale) throw new StudioError('UNSUPPORTED_OP', `BatchNormalization "${node.name}" has computed statistics; only constant ones export.`);
  const c = x.shape[1];
  const constShape = x.shape.map((d, i) => (i === 1 ? c : 1));
  const sT = ctx.tensorOf({ tensor: -1, shape: constShape, perm: x.perm, constData: scale }, `${node.name}/scale`);
  const bT = ctx.tensorOf({ tensor: -1, shape: constShape, perm: x.perm, constData: shift }, `${node.name}/shift`);
  const mid = ctx.activation(`${node.name}/scaled`, x.shape, x.perm);
  ctx.emit({ op: BuiltinOperator.MUL, inputs: [x.tensor, sT], outputs: [mid.tensor], options: { type: BuiltinOptions.MulOptions, write: (b) => MulOptions.createMulOptions(b, 0) } });
  const out = ctx.activation(node.output[0], x.shape, x.perm);
  const opts = (act: ActivationFunctionType): OpOptions => ({ type: BuiltinOptions.AddOptions, write: (b) => AddOptions.createAddOptions(b, act, true) });
  ctx.emit({ op: BuiltinOperator.ADD, inputs: [mid.tensor, bT], outputs: [out.tensor], options: opts(0) }, opts);
  ctx.define(node.output[0], out);
}

/** MaxPool / AveragePool → MAX_POOL_2D / AVERAGE_POOL_2D, with an explicit pad where ONNX's windows need one. */
export function convertPool(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const isMax = node.opType === 'MaxPool';
  if (x.shape.length !== 4) throw new StudioError('UNSUPPORTED_OP', `${node.opType} "${node.name}" has a ${x.shape.length}-D input; only 2-D pooling exports.`);
  if (node.output.length > 1 && node.output[1]) throw new StudioError('UNSUPPORTED_OP', `MaxPool "${node.name}" returns indices, which TFLite cannot.`);
  const k = attrInts(node, 'kernel_shape') ?? [1, 1];
  const strides = attrInts(node, 'strides') ?? [1, 1];
  const dil = attrInts(node, 'dilations') ?? [1, 1];
  if (dil.some((d) => d !== 1)) throw new StudioError('UNSUPPORTED_OP', `${node.opType} "${node.name}" is dilated; TFLite pools are not.`);
  const sp = spatial(node, [x.shape[2], x.shape[3]], k, strides, dil, attrInt(node, 'ceil_mode', 0) === 1);
  let input = ctx.inLayout(x, NHWC, node.input[0]);
  if (sp.explicit) {
    if (!isMax && attrInt(node, 'count_include_pad', 0) === 0) {
      throw new StudioError('UNSUPPORTED_OP', `AveragePool "${node.name}" excludes padding from its average with pads TFLite's SAME cannot express.`);
    }
    input = emitPad(ctx, input, sp.explicit, isMax && !x.nonNegative ? -3.4028234663852886e38 : 0, `${node.name}/pad`);
  }
  const out = ctx.activation(node.output[0], [x.shape[0], x.shape[1], ...sp.out], NHWC);
  const opts = (act: ActivationFunctionType): OpOptions => ({ type: BuiltinOptions.Pool2DOptions, write: (b) => Pool2DOptions.createPool2DOptions(b, sp.padding, strides[1], strides[0], k[1], k[0], act) });
  ctx.emit({ op: isMax ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D, inputs: [input.tensor], outputs: [out.tensor], options: opts(0) }, opts);
  ctx.define(node.output[0], { ...out, nonNegative: x.nonNegative });
}

/** GlobalAveragePool → MEAN over the spatial axes (kept). */
export function convertGlobalAveragePool(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  if (x.shape.length !== 4) throw new StudioError('UNSUPPORTED_OP', `GlobalAveragePool "${node.name}" has a ${x.shape.length}-D input; only 4-D exports.`);
  const input = ctx.inLayout(x, NHWC, node.input[0]);
  const axes = ctx.b.addConstI32(`${node.name}/axes`, [2], [1, 2]);
  const out = ctx.activation(node.output[0], [x.shape[0], x.shape[1], 1, 1], NHWC);
  ctx.emit({ op: BuiltinOperator.MEAN, inputs: [input.tensor, axes], outputs: [out.tensor], options: { type: BuiltinOptions.ReducerOptions, write: (b) => ReducerOptions.createReducerOptions(b, true) } });
  ctx.define(node.output[0], { ...out, nonNegative: x.nonNegative });
}
