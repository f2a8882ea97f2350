/** Dense ops: Gemm and MatMul with constant weights → FULLY_CONNECTED, other MatMuls → BATCH_MATMUL. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto } from '../../onnx/proto';
import { attrFloat, attrInt, type ConvertContext, type Value } from './convert-context';
import { identity, transposeData } from './layout';
import { BuiltinOperator, BuiltinOptions, type OpOptions } from './tflite-builder';
import type { ActivationFunctionType } from './generated/tflite/activation-function-type';
import { BatchMatMulOptions } from './generated/tflite/batch-mat-mul-options';
import { FullyConnectedOptions } from './generated/tflite/fully-connected-options';

function fcOptions(act: ActivationFunctionType): OpOptions {
  return { type: BuiltinOptions.FullyConnectedOptions, write: (b) => FullyConnectedOptions.createFullyConnectedOptions(b, act, 0, false, false, 0) };
}

/** Emits FULLY_CONNECTED of a 2-D input with weights [N, K] and bias [N]. */
function fullyConnected(ctx: ConvertContext, x: Value, inputName: string, weights: Float32Array, n: number, k: number, bias: Float32Array, outName: string, outShape: number[], nodeName: string): void {
  let input = ctx.plain(x, inputName);
  if (x.shape.length !== 2) {
    const flat = ctx.activation(`${nodeName}/flat`, [x.shape.slice(0, -1).reduce((p, q) => p * q, 1), k], [0, 1]);
    ctx.reshapeOp(input.tensor, flat.tensor, flat.shape);
    input = flat;
  }
  const wT = ctx.b.addConstF32(`${nodeName}/weights`, [n, k], weights);
  const bT = ctx.b.addConstF32(`${nodeName}/bias`, [n], bias);
  const rows = input.shape[0];
  const out2 = ctx.activation(outShape.length === 2 ? outName : `${nodeName}/fc`, [rows, n], [0, 1]);
  ctx.emit({ op: BuiltinOperator.FULLY_CONNECTED, inputs: [input.tensor, wT, bT], outputs: [out2.tensor], options: fcOptions(0) }, fcOptions);
  if (outShape.length === 2) {
    ctx.define(outName, out2);
    return;
  }
  const out = ctx.activation(outName, outShape, identity(outShape.length));
  ctx.reshapeOp(out2.tensor, out.tensor, outShape);
  ctx.define(outName, out);
}

/** Gemm (A not transposed, B constant) → FULLY_CONNECTED with alpha and beta folded into the constants. */
export function convertGemm(ctx: ConvertContext, node: NodeProto): void {
  const a = ctx.get(node.input[0]);
  const bConst = ctx.floatConst(node.input[1]);
  if (attrInt(node, 'transA', 0) !== 0 || !bConst) {
    throw new StudioError('UNSUPPORTED_OP', `Gemm "${node.name}" ${bConst ? 'transposes A' : 'has computed weights'}; only x·Wᵀ+b with constant W exports.`);
  }
  const alpha = attrFloat(node, 'alpha', 1);
  const beta = attrFloat(node, 'beta', 1);
  const transB = attrInt(node, 'transB', 0) === 1;
  const [d0, d1] = bConst.shape;
  const [n, k] = transB ? [d0, d1] : [d1, d0];
  let w = transB ? bConst.data.slice() : transposeData(bConst.data, [d0, d1], [1, 0]);
  if (alpha !== 1) w = w.map((v) => v * alpha);
  const bias = new Float32Array(n);
  const c = ctx.floatConst(node.input[2] ?? '');
  if (node.input[2] && !c) throw new StudioError('UNSUPPORTED_OP', `Gemm "${node.name}" has a computed C; only a constant bias exports.`);
  if (c) {
    if (c.data.length !== 1 && c.data.length !== n) throw new StudioError('UNSUPPORTED_OP', `Gemm "${node.name}" has a C of shape ${c.shape.join('×')}; only a per-output bias exports.`);
    for (let i = 0; i < n; i++) bias[i] = beta * (c.data.length === 1 ? c.data[0] : c.data[i]);
  }
  fullyConnected(ctx, a, node.input[0], w, n, k, bias, node.output[0], [a.shape[0], n], node.name);
}

/** MatMul: constant 2-D B → FULLY_CONNECTED (leading dims flattened and restored); otherwise BATCH_MATMUL. */
export function convertMatMul(ctx: ConvertContext, node: NodeProto): void {
  const a = ctx.get(node.input[0]);
  const bConst = ctx.floatConst(node.input[1]);
  if (bConst && bConst.shape.length === 2 && a.shape.length >= 2) {
    const [k, n] = bConst.shape;
    const w = transposeData(bConst.data, [k, n], [1, 0]);
    fullyConnected(ctx, a, node.input[0], w, n, k, new Float32Array(n), node.output[0], [...a.shape.slice(0, -1), n], node.name);
    return;
  }
  const b = ctx.get(node.input[1]);
  if (a.shape.length < 2 || b.shape.length < 2 || a.shape.length !== b.shape.length) {
    throw new StudioError('UNSUPPORTED_OP', `MatMul "${node.name}" multiplies ${a.shape.length}-D by ${b.shape.length}-D; only equal ranks ≥ 2 export.`);
  }
  const pa = ctx.plain(a, node.input[0]);
  const pb = ctx.tensorOf(ctx.plain(b, node.input[1]), node.input[1]);
  const shape = [...a.shape.slice(0, -1), b.shape[b.shape.length - 1]];
  const out = ctx.activation(node.output[0], shape, identity(shape.length));
  ctx.emit({ op: BuiltinOperator.BATCH_MATMUL, inputs: [pa.tensor, pb], outputs: [out.tensor], options: { type: BuiltinOptions.BatchMatMulOptions, write: (bb) => BatchMatMulOptions.createBatchMatMulOptions(bb, false, false, false) } });
  ctx.define(node.output[0], out);
}
