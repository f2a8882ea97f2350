/** Gradients of the layers that hold weights: Conv (any group count), Gemm, MatMul, BatchNormalization (inference form). */
import { floatAttrOf, intAttr, intsAttr } from './grad-emitter';
import { GradUnsupported, type GradContext, type GradRule } from './grad-rule';

/** Explicit begin/end pads of a Conv-like node, resolving `auto_pad` from the probed shapes. */
export function convPads(c: GradContext, spatialIn: number[], spatialOut: number[], kernel: number[], strides: number[], dilations: number[]): { begin: number[]; end: number[] } {
  const r = spatialIn.length;
  const auto = c.str('auto_pad', 'NOTSET');
  if (auto === 'VALID') return { begin: Array(r).fill(0), end: Array(r).fill(0) };
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const begin: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < r; i++) {
      const total = Math.max(0, (spatialOut[i] - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - spatialIn[i]);
      const small = Math.floor(total / 2);
      begin.push(auto === 'SAME_UPPER' ? small : total - small);
      end.push(auto === 'SAME_UPPER' ? total - small : small);
    }
    return { begin, end };
  }
  const pads = c.ints('pads') ?? Array(2 * r).fill(0);
  return { begin: pads.slice(0, r), end: pads.slice(r) };
}

/** Conv: the input's gradient is a ConvTranspose of the output's; the weight's a grouped Conv over swapped axes. */
export const convGrad: GradRule = (c) => {
  const { e, node } = c;
  const dY = c.dOut(0);
  if (!dY) return;
  const [x, w] = node.input;
  const xs = c.shape(x);
  const ws = c.shape(w);
  const ys = c.shape(node.output[0]);
  const r = xs.length - 2;
  const g = c.int('group', 1);
  const kernel = ws.slice(2);
  const strides = c.ints('strides') ?? Array(r).fill(1);
  const dil = c.ints('dilations') ?? Array(r).fill(1);
  const { begin, end } = convPads(c, xs.slice(2), ys.slice(2), kernel, strides, dil);
  if (c.needs(0)) {
    const outPad = xs.slice(2).map((s, i) => s - ((ys[2 + i] - 1) * strides[i] - begin[i] - end[i] + dil[i] * (kernel[i] - 1) + 1));
    if (outPad.some((p, i) => p < 0 || p >= Math.max(strides[i], dil[i]))) throw new GradUnsupported(`Conv ${node.name}: its padding cannot be inverted exactly`);
    const attrs = [intAttr('group', g), intsAttr('strides', strides), intsAttr('dilations', dil), intsAttr('pads', [...begin, ...end]), intsAttr('kernel_shape', kernel)];
    if (outPad.some((p) => p > 0)) attrs.push(intsAttr('output_padding', outPad));
    c.give(0, e.op1('ConvTranspose', [dY, w], attrs, 'conv_dx'));
  }
  if (c.needs(1)) {
    const cin = xs[1] / g;
    const cout = ys[1] / g;
    const sp = xs.slice(2);
    const spo = ys.slice(2);
    // X [N, g·ci, S] → [ci, g·N, S]; dY [N, g·co, So] → [g·co, N, So]; a Conv with `group` g then gives [ci, g·co, K']
    const xr = e.op1('Reshape', [x, e.ints([0, g, cin, ...sp])]);
    const xt = e.op1('Transpose', [xr], [intsAttr('perm', [2, 1, 0, ...sp.map((_, i) => 3 + i)])]);
    const xin = e.op1('Reshape', [xt, e.ints([cin, -1, ...sp])]);
    const dyr = e.op1('Reshape', [dY, e.ints([0, g, cout, ...spo])]);
    const dyt = e.op1('Transpose', [dyr], [intsAttr('perm', [1, 2, 0, ...spo.map((_, i) => 3 + i)])]);
    const dyw = e.op1('Reshape', [dyt, e.ints([g * cout, -1, ...spo])]);
    const full = e.op1('Conv', [xin, dyw], [intAttr('group', g), intsAttr('strides', dil), intsAttr('dilations', strides), intsAttr('pads', [...begin, ...end])], 'conv_dw');
    const sliced = e.op1('Slice', [full, e.ints(kernel.map(() => 0)), e.ints(kernel), e.ints(kernel.map((_, i) => 2 + i))]);
    c.give(1, e.op1('Transpose', [sliced], [intsAttr('perm', [1, 0, ...kernel.map((_, i) => 2 + i)])], 'conv_dw_t'));
  }
  if (node.input.length > 2 && node.input[2] && c.needs(2)) {
    c.give(2, e.reduceSum(dY, [0, ...Array.from({ length: r }, (_, i) => 2 + i)], false));
  }
};

/** Gemm: Y = alpha·A'·B' + beta·C. */
export const gemmGrad: GradRule = (c) => {
  const { e, node } = c;
  const dY = c.dOut(0);
  if (!dY) return;
  const [a, b, cc] = node.input;
  const alpha = c.float('alpha', 1);
  const beta = c.float('beta', 1);
  const ta = c.int('transA', 0);
  const tb = c.int('transB', 0);
  if (c.needs(0)) {
    const dA = e.op1('Gemm', [dY, b], [floatAttrOf('alpha', alpha), intAttr('transB', tb ? 0 : 1)], 'gemm_da');
    c.give(0, ta ? e.op1('Transpose', [dA], [intsAttr('perm', [1, 0])]) : dA);
  }
  if (c.needs(1)) {
    const dB = e.op1('Gemm', [a, dY], [floatAttrOf('alpha', alpha), intAttr('transA', ta ? 0 : 1)], 'gemm_db');
    c.give(1, tb ? e.op1('Transpose', [dB], [intsAttr('perm', [1, 0])]) : dB);
  }
  if (cc && c.needs(2)) {
    const red = e.reduceTo(dY, c.shape(node.output[0]), cc, c.shape(cc));
    c.give(2, beta === 1 ? red : e.op1('Mul', [red, e.scalar(beta)]));
  }
};

/** MatMul of operands with at least two dimensions (batch dimensions broadcast). */
export const matmulGrad: GradRule = (c) => {
  const { e, node } = c;
  const dY = c.dOut(0);
  if (!dY) return;
  const [a, b] = node.input;
  const as = c.shape(a);
  const bs = c.shape(b);
  const ys = c.shape(node.output[0]);
  if (as.length < 2 || bs.length < 2) throw new GradUnsupported(`MatMul ${node.name}: a one-dimensional operand`);
  const swap = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  if (c.needs(0)) {
    const bt = e.op1('Transpose', [b], [intsAttr('perm', swap(bs.length))]);
    const dA = e.op1('MatMul', [dY, bt], [], 'matmul_da');
    c.give(0, e.reduceTo(dA, [...ys.slice(0, -1), as[as.length - 1]], a, as));
  }
  if (c.needs(1)) {
    const at = e.op1('Transpose', [a], [intsAttr('perm', swap(as.length))]);
    const dB = e.op1('MatMul', [at, dY], [], 'matmul_db');
    c.give(1, e.reduceTo(dB, [...ys.slice(0, -2), bs[bs.length - 2], ys[ys.length - 1]], b, bs));
  }
};

/** BatchNormalization with its running statistics (the inference form fine-tuning uses): scale and bias train. */
export const batchNormGrad: GradRule = (c) => {
  const { e, node } = c;
  const dY = c.dOut(0);
  if (!dY) return;
  if (c.int('training_mode', 0)) throw new GradUnsupported(`BatchNormalization ${node.name} in training mode`);
  const [x, scale, , mean, variance] = node.input;
  const xs = c.shape(x);
  const eps = c.float('epsilon', 1e-5);
  const bshape = [1, xs[1], ...xs.slice(2).map(() => 1)];
  const inv = e.op1('Reciprocal', [e.op1('Sqrt', [e.op1('Add', [variance, e.scalar(eps)])])]);
  const axes = [0, ...xs.slice(2).map((_, i) => 2 + i)];
  if (c.needs(0)) {
    const a = e.op1('Reshape', [e.op1('Mul', [scale, inv]), e.ints(bshape)]);
    c.give(0, e.op1('Mul', [dY, a], [], 'bn_dx'));
  }
  if (c.needs(1)) {
    const xhat = e.op1('Mul', [e.op1('Sub', [x, e.op1('Reshape', [mean, e.ints(bshape)])]), e.op1('Reshape', [inv, e.ints(bshape)])]);
    c.give(1, e.reduceSum(e.op1('Mul', [dY, xhat]), axes, false));
  }
  if (c.needs(2)) c.give(2, e.reduceSum(dY, axes, false));
  if (c.needs(3) || c.needs(4)) throw new GradUnsupported(`BatchNormalization ${node.name}: its running mean and variance do not train`);
};
