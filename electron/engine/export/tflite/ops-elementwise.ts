/** Element-wise ops: activations (fused into the producer where possible), Clip, and broadcasting binary arithmetic. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto } from '../../onnx/proto';
import { attrFloat, type ConvertContext, type Value } from './convert-context';
import { broadcastData, identity } from './layout';
import { BuiltinOperator, BuiltinOptions, type OpOptions } from './tflite-builder';
import { ActivationFunctionType } from './generated/tflite/activation-function-type';
import { AddOptions } from './generated/tflite/add-options';
import { SubOptions } from './generated/tflite/sub-options';
import { MulOptions } from './generated/tflite/mul-options';
import { DivOptions } from './generated/tflite/div-options';
import { LeakyReluOptions } from './generated/tflite/leaky-relu-options';
import { HardSwishOptions } from './generated/tflite/hard-swish-options';
import { GeluOptions } from './generated/tflite/gelu-options';
import { MaximumMinimumOptions } from './generated/tflite/maximum-minimum-options';

const UNARY: Record<string, BuiltinOperator> = {
  Relu: BuiltinOperator.RELU,
  Sigmoid: BuiltinOperator.LOGISTIC,
  Tanh: BuiltinOperator.TANH,
  HardSwish: BuiltinOperator.HARD_SWISH,
  LeakyRelu: BuiltinOperator.LEAKY_RELU,
  Gelu: BuiltinOperator.GELU,
};

function unary(ctx: ConvertContext, node: NodeProto, op: BuiltinOperator, options?: OpOptions, nonNegative = false): void {
  const x = ctx.get(node.input[0]);
  const out = ctx.activation(node.output[0], x.shape, x.perm);
  ctx.emit({ op, inputs: [x.tensor], outputs: [out.tensor], options });
  ctx.define(node.output[0], { ...out, nonNegative });
}

/** Relu, Sigmoid, Tanh, HardSwish, LeakyRelu, Gelu; Identity and inference-mode Dropout pass their input on. */
export function convertUnary(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  switch (node.opType) {
    case 'Identity':
    case 'Dropout':
      ctx.define(node.output[0], x);
      return;
    case 'Relu':
      if (ctx.tryFuse(node.input[0], x, ActivationFunctionType.RELU)) {
        ctx.define(node.output[0], { ...x, nonNegative: true });
        return;
      }
      return unary(ctx, node, BuiltinOperator.RELU, undefined, true);
    case 'LeakyRelu': {
      const alpha = attrFloat(node, 'alpha', 0.01);
      return unary(ctx, node, BuiltinOperator.LEAKY_RELU, { type: BuiltinOptions.LeakyReluOptions, write: (b) => LeakyReluOptions.createLeakyReluOptions(b, alpha) });
    }
    case 'HardSwish':
      return unary(ctx, node, BuiltinOperator.HARD_SWISH, { type: BuiltinOptions.HardSwishOptions, write: (b) => HardSwishOptions.createHardSwishOptions(b) });
    case 'Gelu': {
      const approx = node.attribute.some((a) => a.name === 'approximate' && new TextDecoder().decode(a.s) === 'tanh');
      return unary(ctx, node, BuiltinOperator.GELU, { type: BuiltinOptions.GeluOptions, write: (b) => GeluOptions.createGeluOptions(b, approx) });
    }
    case 'Sigmoid':
      return unary(ctx, node, UNARY.Sigmoid, undefined, true);
    default:
      return unary(ctx, node, UNARY[node.opType]);
  }
}

/** Clip → RELU / RELU6 / RELU_N1_TO_1 (fused where possible), otherwise MAXIMUM and MINIMUM with constants. */
export function convertClip(ctx: ConvertContext, node: NodeProto): void {
  const x = ctx.get(node.input[0]);
  const lo = ctx.opset >= 11 ? (ctx.floatConst(node.input[1] ?? '')?.data[0] ?? -Infinity) : attrFloat(node, 'min', -Infinity);
  const hi = ctx.opset >= 11 ? (ctx.floatConst(node.input[2] ?? '')?.data[0] ?? Infinity) : attrFloat(node, 'max', Infinity);
  if ((node.input[1] && !ctx.floatConst(node.input[1])) || (node.input[2] && !ctx.floatConst(node.input[2]))) {
    throw new StudioError('UNSUPPORTED_OP', `Clip "${node.name}" has computed bounds; TFLite export needs constant ones.`);
  }
  const named: Array<[number, number, ActivationFunctionType, BuiltinOperator]> = [
    [0, Infinity, ActivationFunctionType.RELU, BuiltinOperator.RELU],
    [0, 6, ActivationFunctionType.RELU6, BuiltinOperator.RELU6],
    [-1, 1, ActivationFunctionType.RELU_N1_TO_1, BuiltinOperator.RELU_N1_TO_1],
  ];
  const match = named.find(([a, b]) => a === lo && b === hi);
  if (match) {
    if (ctx.tryFuse(node.input[0], x, match[2])) {
      ctx.define(node.output[0], { ...x, nonNegative: lo >= 0 });
      return;
    }
    return unary(ctx, node, match[3], undefined, lo >= 0);
  }
  let cur = x;
  const steps: Array<[number, BuiltinOperator]> = [];
  if (lo > -Infinity) steps.push([lo, BuiltinOperator.MAXIMUM]);
  if (hi < Infinity) steps.push([hi, BuiltinOperator.MINIMUM]);
  steps.forEach(([bound, op], i) => {
    const c = ctx.b.addConstF32(`${node.name}/bound${i}`, [], Float32Array.of(bound));
    const out = ctx.activation(i === steps.length - 1 ? node.output[0] : `${node.name}/max`, x.shape, x.perm);
    ctx.emit({ op, inputs: [cur.tensor, c], outputs: [out.tensor], options: { type: BuiltinOptions.MaximumMinimumOptions, write: (b) => MaximumMinimumOptions.createMaximumMinimumOptions(b) } });
    cur = out;
  });
  ctx.define(node.output[0], { ...cur, nonNegative: lo >= 0 });
}

const BINARY: Record<string, BuiltinOperator> = { Add: BuiltinOperator.ADD, Sub: BuiltinOperator.SUB, Mul: BuiltinOperator.MUL, Div: BuiltinOperator.DIV };

function binaryOptions(opType: string, act: ActivationFunctionType): OpOptions {
  switch (opType) {
    case 'Add':
      return { type: BuiltinOptions.AddOptions, write: (b) => AddOptions.createAddOptions(b, act, true) };
    case 'Sub':
      return { type: BuiltinOptions.SubOptions, write: (b) => SubOptions.createSubOptions(b, act, true) };
    case 'Mul':
      return { type: BuiltinOptions.MulOptions, write: (b) => MulOptions.createMulOptions(b, act) };
    default:
      return { type: BuiltinOptions.DivOptions, write: (b) => DivOptions.createDivOptions(b, act) };
  }
}

/** Brings an operand to `rank` dims stored in `perm`: constants are broadcast-ranked and permuted, activations reshaped. */
function align(ctx: ConvertContext, v: Value, rank: number, perm: number[], name: string): number {
  const padded = [...new Array<number>(rank - v.shape.length).fill(1), ...v.shape];
  if (v.constData || v.constInts) {
    const data = v.constData ?? Float32Array.from(v.constInts ?? []);
    return ctx.tensorOf({ tensor: -1, shape: padded, perm, constData: data.length === 1 ? data : broadcastData(data, padded, padded) }, name);
  }
  let cur = v;
  if (v.shape.length < rank) {
    const plain = ctx.plain(v, name);
    const out = ctx.activation(`${name}/ranked`, padded, identity(rank));
    ctx.reshapeOp(plain.tensor, out.tensor, padded);
    cur = out;
  }
  return ctx.inLayout(cur, perm, name).tensor;
}

/** Add, Sub, Mul, Div with numpy broadcasting, in the layout of the higher-rank activation operand. */
export function convertBinary(ctx: ConvertContext, node: NodeProto): void {
  const [a, b] = [ctx.get(node.input[0]), ctx.get(node.input[1])];
  const isConst = (v: Value): boolean => Boolean(v.constData || v.constInts);
  if (isConst(a) && isConst(b)) throw new StudioError('UNSUPPORTED_OP', `${node.opType} "${node.name}" only combines constants; fold it before exporting.`);
  const rank = Math.max(a.shape.length, b.shape.length);
  const lead = [a, b].filter((v) => !isConst(v) && v.shape.length === rank)[0] ?? [a, b].find((v) => !isConst(v)) ?? a;
  const perm = lead.shape.length === rank ? lead.perm : identity(rank);
  const ta = align(ctx, a, rank, perm, node.input[0]);
  const tb = align(ctx, b, rank, perm, node.input[1]);
  const pa = [...new Array<number>(rank - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array<number>(rank - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const out = ctx.activation(node.output[0], shape, perm);
  const opts = (act: ActivationFunctionType): OpOptions => binaryOptions(node.opType, act);
  ctx.emit({ op: BINARY[node.opType], inputs: [ta, tb], outputs: [out.tensor], options: opts(ActivationFunctionType.NONE) }, opts);
  ctx.define(node.output[0], out);
}
