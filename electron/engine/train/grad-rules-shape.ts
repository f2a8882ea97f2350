/** Gradients of pooling, reshaping and normalising operators. */
import { intAttr, intsAttr, strAttr, tensorAttr } from './grad-emitter';
import { convPads } from './grad-rules-linear';
import type { NodeProto } from '../onnx/proto';
import { GradUnsupported, type ForwardPatch, type GradContext, type GradRule } from './grad-rule';
import { floatTensor } from '../optimize/quantize/proto-build';

/** @returns true for a MaxPool whose windows tile the input (kernel = stride, no padding, no dilation, floor mode). */
export function tilingMaxPool(node: NodeProto): boolean {
  const ints = (n: string) => node.attribute.find((a) => a.name === n)?.ints.map(Number);
  const int = (n: string) => Number(node.attribute.find((a) => a.name === n)?.i ?? 0);
  const auto = new TextDecoder().decode(node.attribute.find((a) => a.name === 'auto_pad')?.s ?? new Uint8Array());
  const kernel = ints('kernel_shape') ?? [];
  const strides = ints('strides') ?? kernel.map(() => 1);
  return (
    kernel.length === 2 &&
    kernel.every((k, i) => k === strides[i]) &&
    (ints('pads') ?? []).every((p) => p === 0) &&
    (ints('dilations') ?? []).every((d) => d === 1) &&
    !int('ceil_mode') &&
    (auto === '' || auto === 'NOTSET' || auto === 'VALID')
  );
}

/** MaxPool with overlapping or padded windows needs the flat indices of the maxima: its second output. */
export const maxPoolPatch: ForwardPatch = (node, fresh) => {
  if (tilingMaxPool(node)) return;
  if (node.output.length < 2 || !node.output[1]) node.output[1] = fresh('maxpool_indices');
};

/**
 * MaxPool: the gradient goes to the positions of the maxima. Tiling windows: a mask of the positions equal to their
 * window's maximum (ties share the gradient); otherwise a scatter to the maxima's indices (added where windows overlap).
 */
export const maxPoolGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  if (c.int('storage_order', 0) !== 0) throw new GradUnsupported(`MaxPool ${node.name} with column-major indices`);
  const x = node.input[0];
  if (tilingMaxPool(node)) return c.give(0, tilingMaxPoolGrad(c, dY));
  const flatIdx = e.op1('Reshape', [node.output[1], e.ints([-1])]);
  const flatDy = e.op1('Reshape', [dY, e.ints([-1])]);
  const zeros = e.op1('ConstantOfShape', [e.op1('Reshape', [e.op1('Size', [x]), e.ints([1])])], [tensorAttr('value', floatTensor('zero', [0], true))]);
  const scattered = e.op1('ScatterElements', [zeros, flatIdx, flatDy], [intAttr('axis', 0), strAttr('reduction', 'add')], 'maxpool_dx');
  c.give(0, e.reshapeLike(scattered, x));
};

function tilingMaxPoolGrad(c: GradContext, dY: string): string {
  const { e, node } = c;
  const x = node.input[0];
  const xs = c.shape(x);
  const [, , h, w] = c.shape(node.output[0]);
  const [kh, kw] = c.ints('kernel_shape') as number[];
  const covered = [h * kh, w * kw];
  const cropped = covered[0] !== xs[2] || covered[1] !== xs[3];
  const xc = cropped ? e.op1('Slice', [x, e.ints([0, 0]), e.ints(covered), e.ints([2, 3])]) : x;
  // nearest-neighbour upsampling by the window size: every position gets its window's value
  const scales = e.tensor(Float32Array.from([1, 1, kh, kw]), [4], 'maxpool_scales');
  const spread = (t: string) => e.op1('Resize', [t, '', scales], [strAttr('mode', 'nearest'), strAttr('coordinate_transformation_mode', 'asymmetric'), strAttr('nearest_mode', 'floor')]);
  const mask = e.op1('Cast', [e.op1('Equal', [xc, spread(node.output[0])])], [intAttr('to', 1)], 'maxpool_mask');
  const ties = e.op1('Mul', [e.op1('AveragePool', [mask], [intsAttr('kernel_shape', [kh, kw]), intsAttr('strides', [kh, kw])]), e.scalar(kh * kw)]);
  const share = spread(e.op1('Div', [dY, ties]));
  const dx = e.op1('Mul', [mask, share], [], 'maxpool_dx');
  return cropped ? e.op1('Pad', [dx, e.ints([0, 0, 0, 0, 0, 0, xs[2] - covered[0], xs[3] - covered[1]])]) : dx;
}

/** AveragePool: a transposed depthwise convolution with a constant 1/k kernel (padding counted, or none). */
export const averagePoolGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const x = node.input[0];
  const xs = c.shape(x);
  const ys = c.shape(node.output[0]);
  const kernel = c.ints('kernel_shape') ?? [];
  const r = kernel.length;
  const strides = c.ints('strides') ?? Array(r).fill(1);
  const dil = Array(r).fill(1);
  const { begin, end } = convPads(c, xs.slice(2), ys.slice(2), kernel, strides, dil);
  if (!c.int('count_include_pad', 0) && [...begin, ...end].some((p) => p > 0)) throw new GradUnsupported(`AveragePool ${node.name}: padding left out of the count`);
  const outPad = xs.slice(2).map((s, i) => s - ((ys[2 + i] - 1) * strides[i] - begin[i] - end[i] + kernel[i]));
  if (outPad.some((p, i) => p < 0 || p >= strides[i])) throw new GradUnsupported(`AveragePool ${node.name}: partial windows (ceil_mode)`);
  const ch = xs[1];
  const size = kernel.reduce((a, b) => a * b, 1);
  const k = e.tensor(new Float32Array(ch * size).fill(1 / size), [ch, 1, ...kernel], 'avgpool_kernel');
  const attrs = [intAttr('group', ch), intsAttr('strides', strides), intsAttr('pads', [...begin, ...end]), intsAttr('kernel_shape', kernel)];
  if (outPad.some((p) => p > 0)) attrs.push(intsAttr('output_padding', outPad));
  c.give(0, e.op1('ConvTranspose', [dY, k], attrs, 'avgpool_dx'));
};

/** GlobalAveragePool: the gradient spread evenly over the spatial positions. */
export const globalAveragePoolGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const x = node.input[0];
  const count = c.shape(x).slice(2).reduce((a, b) => a * b, 1);
  c.give(0, e.op1('Div', [e.op1('Expand', [dY, e.op1('Shape', [x])]), e.scalar(count)]));
};

/** ReduceMean with its axes as an attribute (opset below 18). */
export const reduceMeanGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const x = node.input[0];
  const xs = c.shape(x);
  if (node.input.length > 1) throw new GradUnsupported(`ReduceMean ${node.name} with axes as an input`);
  const axes = (c.ints('axes') ?? xs.map((_, i) => i)).map((a) => (a < 0 ? a + xs.length : a));
  const count = axes.reduce((p, a) => p * xs[a], 1);
  const kept = c.int('keepdims', 1) ? dY : e.op1('Unsqueeze', [dY, e.ints(axes)]);
  c.give(0, e.op1('Div', [e.op1('Expand', [kept, e.op1('Shape', [x])]), e.scalar(count)]));
};

/** ReduceSum (axes as an input, opset 13+): the gradient broadcast back over the summed axes. */
export const reduceSumGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const x = node.input[0];
  const rank = c.shape(x).length;
  let axes = node.input[1] ? c.constInts(1) : [];
  if (axes === undefined) throw new GradUnsupported(`ReduceSum ${node.name} with axes computed at run time`);
  if (!axes.length) {
    if (c.int('noop_with_empty_axes', 0)) return c.give(0, dY);
    axes = Array.from({ length: rank }, (_, i) => i);
  }
  axes = axes.map((a) => (a < 0 ? a + rank : a));
  const kept = c.int('keepdims', 1) ? dY : e.op1('Unsqueeze', [dY, e.ints(axes)]);
  c.give(0, e.op1('Expand', [kept, e.op1('Shape', [x])]));
};

/** Pad (constant mode, non-negative pads given as a constant): the gradient cropped back to the input. */
export const padGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  if (c.str('mode', 'constant') !== 'constant') throw new GradUnsupported(`Pad ${node.name} in ${c.str('mode', '')} mode`);
  const pads = c.constInts(1);
  if (!pads) throw new GradUnsupported(`Pad ${node.name} with pads computed at run time`);
  if (node.input[3]) throw new GradUnsupported(`Pad ${node.name} with an axes input`);
  if (pads.some((p) => p < 0)) throw new GradUnsupported(`Pad ${node.name} that crops`);
  const xs = c.shape(node.input[0]);
  const r = xs.length;
  const begin = pads.slice(0, r);
  // ends counted from the end (−pad), or to the end when nothing was added there
  const ends = pads.slice(r).map((p) => (p > 0 ? -p : Number.MAX_SAFE_INTEGER));
  c.give(0, e.op1('Slice', [dY, e.ints(begin), e.ints(ends), e.ints(xs.map((_, i) => i))], [], 'pad_dx'));
};

/** Flatten, Reshape, Squeeze, Unsqueeze: the gradient takes the input's shape back. */
export const reshapeGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (dY && c.needs(0)) c.give(0, c.e.reshapeLike(dY, c.node.input[0]));
};

/** Transpose: the inverse permutation. */
export const transposeGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const rank = c.shape(c.node.input[0]).length;
  const perm = c.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  c.give(0, c.e.op1('Transpose', [dY], [intsAttr('perm', inverse)]));
};

/** Concat: the gradient split back along the axis. */
export const concatGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY) return;
  const { e, node } = c;
  const rank = c.shape(node.output[0]).length;
  const axis = (c.int('axis', 0) + rank) % rank;
  const sizes = node.input.map((x) => c.shape(x)[axis]);
  const parts = e.op('Split', [dY, e.ints(sizes)], [intAttr('axis', axis)], node.input.length, 'concat_split');
  node.input.forEach((_, i) => {
    if (c.needs(i)) c.give(i, parts[i]);
  });
};

/** Softmax (one axis, opset 13+): y·(dY − Σ dY·y). */
export const softmaxGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const y = node.output[0];
  const axis = c.int('axis', -1);
  const dot = e.reduceSum(e.op1('Mul', [dY, y]), [axis], true);
  c.give(0, e.op1('Mul', [y, e.op1('Sub', [dY, dot])]));
};

/** LogSoftmax (one axis, opset 13+): dY − exp(y)·Σ dY. */
export const logSoftmaxGrad: GradRule = (c) => {
  const dY = c.dOut(0);
  if (!dY || !c.needs(0)) return;
  const { e, node } = c;
  const total = e.reduceSum(dY, [c.int('axis', -1)], true);
  c.give(0, e.op1('Sub', [dY, e.op1('Mul', [e.op1('Exp', [node.output[0]]), total])]));
};
