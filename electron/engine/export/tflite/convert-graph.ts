/** ONNX → TFLite: checks every node is supported, then converts in topological order with NHWC propagated inside. */
import { StudioError } from '../../../../shared/api/errors';
import { ModelIR } from '../../onnx/ir/model-ir';
import { isConstantNode } from '../../onnx/ir/graph';
import type { LoadedModel } from '../../onnx/load';
import type { NodeProto, ValueInfoProto } from '../../onnx/proto';
import { ConvertContext, type Value } from './convert-context';
import { identity, NHWC, permuteShape } from './layout';
import { convertBatchNorm, convertConv, convertGlobalAveragePool, convertPool } from './ops-conv';
import { convertGemm, convertMatMul } from './ops-dense';
import { convertBinary, convertClip, convertUnary } from './ops-elementwise';
import { convertConcat, convertPad, convertReshape, convertResize, convertSlice, convertSoftmax, convertSplit, convertTranspose } from './ops-shape';
import { BuiltinOperator, TensorType, TfliteModelBuilder, type TensorQuant } from './tflite-builder';

type Converter = (ctx: ConvertContext, node: NodeProto) => void;

/** The ONNX ops the writer converts, and how. */
export const CONVERTERS: Record<string, Converter> = {
  Conv: convertConv,
  BatchNormalization: convertBatchNorm,
  MaxPool: convertPool,
  AveragePool: convertPool,
  GlobalAveragePool: convertGlobalAveragePool,
  Gemm: convertGemm,
  MatMul: convertMatMul,
  Relu: convertUnary,
  Sigmoid: convertUnary,
  Tanh: convertUnary,
  HardSwish: convertUnary,
  LeakyRelu: convertUnary,
  Gelu: convertUnary,
  Identity: convertUnary,
  Dropout: convertUnary,
  Clip: convertClip,
  Add: convertBinary,
  Sub: convertBinary,
  Mul: convertBinary,
  Div: convertBinary,
  Concat: convertConcat,
  Reshape: convertReshape,
  Flatten: convertReshape,
  Squeeze: convertReshape,
  Unsqueeze: convertReshape,
  Transpose: convertTranspose,
  Softmax: convertSoftmax,
  Pad: convertPad,
  Resize: convertResize,
  Slice: convertSlice,
  Split: convertSplit,
};

/** A node the writer cannot convert. */
export interface UnsupportedNode {
  name: string;
  op: string;
}

/** How the model's 4-D inputs and outputs are laid out in the TFLite file. */
export type IoLayout = 'nchw' | 'nhwc';

/** Options of a conversion. */
export interface ConvertOptions {
  /** 'nchw' keeps ONNX's order at the inputs and outputs (a transpose inside); 'nhwc' is TFLite's own */
  ioLayout: IoLayout;
  /** the quantization of ONNX tensors, for an int8 model (see qdq-annotate) */
  quantOf?: (name: string) => TensorQuant | undefined;
  /** ops passed through without conversion because a pre-pass handles them (QuantizeLinear, DequantizeLinear) */
  passThrough?: (node: NodeProto) => boolean;
}

/** One input or output of the written model. */
export interface TfliteIo {
  name: string;
  /** the shape in the TFLite file */
  shape: number[];
  /** the ONNX shape (batch fixed to 1) */
  onnxShape: number[];
  layout: 'nchw' | 'nhwc' | 'plain';
  type: 'float32' | 'int8';
  quant?: TensorQuant;
}

/** A converted model. */
export interface ConvertResult {
  bytes: Uint8Array;
  inputs: TfliteIo[];
  outputs: TfliteIo[];
  /** TFLite operators by name, with counts */
  operators: Record<string, number>;
}

/**
 * Lists the nodes the writer cannot convert (op not supported, or not in the default domain).
 * @param model - the model
 * @param options - the conversion options (which ops a pre-pass handles)
 */
export function unsupportedNodes(model: LoadedModel, options?: Pick<ConvertOptions, 'passThrough'>): UnsupportedNode[] {
  const ir = new ModelIR(model.proto);
  return ir.graph.nodes
    .filter((n) => !isConstantNode(n) && !options?.passThrough?.(n))
    .filter((n) => (n.domain !== '' && n.domain !== 'ai.onnx') || !CONVERTERS[n.opType])
    .map((n) => ({ name: n.name || `(unnamed ${n.opType})`, op: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}::${n.opType}` : n.opType }));
}

function staticShape(info: ValueInfoProto): number[] {
  const t = info.type?.value.case === 'tensorType' ? info.type.value.value : undefined;
  const dims = t?.shape?.dim ?? [];
  // symbolic dims (the batch) are fixed to 1: TFLite files carry static shapes
  return dims.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : 1));
}

/**
 * Converts a model to TFLite.
 * @param model - the loaded ONNX model (not modified)
 * @param options - layout of the inputs and outputs; quantization for int8
 * @returns the file's bytes and a description of its inputs and outputs
 * @throws StudioError `UNSUPPORTED_OP` listing every node that cannot be converted, before anything is built
 */
export function convertToTflite(model: LoadedModel, options: ConvertOptions): ConvertResult {
  const bad = unsupportedNodes(model, options);
  const qdq = bad.filter((n) => n.op === 'QuantizeLinear' || n.op === 'DequantizeLinear');
  if (qdq.length > 0 && qdq.length === bad.length) {
    throw new StudioError('UNSUPPORTED_OP', `This is a quantized (QDQ) model with ${qdq.length} QuantizeLinear/DequantizeLinear nodes; TFLite export of int8 models is not supported yet. Export the float model it was made from. Nothing was written.`);
  }
  if (bad.length > 0) {
    const list = bad.slice(0, 20).map((n) => `${n.name} (${n.op})`).join(', ');
    throw new StudioError('UNSUPPORTED_OP', `TFLite export does not support ${bad.length} node${bad.length === 1 ? '' : 's'}: ${list}${bad.length > 20 ? ', …' : ''}. Nothing was written.`);
  }
  const ir = new ModelIR(model.proto);
  const opset = ir.opset('') ?? 13;
  const b = new TfliteModelBuilder();
  const ctx = new ConvertContext(ir.graph, model, b, opset, options.quantOf);
  const inputs: TfliteIo[] = ir.graph.runtimeInputs().map((info) => {
    const shape = staticShape(info);
    const perm = options.ioLayout === 'nhwc' && shape.length === 4 ? NHWC : identity(shape.length);
    const quant = options.quantOf?.(info.name);
    const tensor = b.addTensor({ name: info.name, shape: permuteShape(shape, perm), type: TensorType.FLOAT32 });
    b.inputs.push(tensor);
    let value: Value = { tensor, shape, perm };
    if (quant) value = quantizeInput(ctx, value, info.name, quant);
    ctx.define(info.name, value);
    return { name: info.name, shape: permuteShape(shape, perm), onnxShape: shape, layout: shape.length === 4 ? options.ioLayout : 'plain', type: 'float32' };
  });
  for (const node of ir.graph.topologicalOrder()) {
    if (isConstantNode(node) || ctx.skip.has(node)) continue;
    if (options.passThrough?.(node)) {
      if (!ctx.values.has(node.output[0])) {
        const src = ctx.values.get(node.input[0]);
        if (src) ctx.define(node.output[0], src);
      }
      continue;
    }
    CONVERTERS[node.opType](ctx, node);
  }
  const outputs: TfliteIo[] = ir.graph.outputs.map((info) => {
    const v = ctx.get(info.name);
    const perm = options.ioLayout === 'nhwc' && v.shape.length === 4 ? NHWC : identity(v.shape.length);
    let out = ctx.inLayout(v, perm, info.name);
    if (out.tensor < 0 || b.inputs.includes(out.tensor) || b.outputs.includes(out.tensor)) {
      // a constant or pass-through output still needs an operator writing it
      const copy = ctx.activation(`${info.name}/out`, v.shape, perm);
      ctx.reshapeOp(ctx.tensorOf(out, info.name), copy.tensor, permuteShape(v.shape, perm));
      out = copy;
    }
    if (b.tensors[out.tensor].type === TensorType.INT8) out = dequantizeOutput(ctx, out, info.name);
    b.tensors[out.tensor].name = info.name;
    b.outputs.push(out.tensor);
    return { name: info.name, shape: permuteShape(v.shape, perm), onnxShape: v.shape, layout: v.shape.length === 4 ? options.ioLayout : 'plain', type: 'float32' };
  });
  const operators: Record<string, number> = {};
  for (const op of b.ops) {
    const key = BuiltinOperator[op.op];
    operators[key] = (operators[key] ?? 0) + 1;
  }
  const bytes = b.serialize(`Exported by Deploy Studio from ${model.fileName}`);
  return { bytes, inputs, outputs, operators };
}

function quantizeInput(ctx: ConvertContext, v: Value, name: string, quant: TensorQuant): Value {
  const q = ctx.b.addTensor({ name: `${name}/int8`, shape: ctx.b.tensors[v.tensor].shape, type: TensorType.INT8, quant });
  ctx.emit({ op: BuiltinOperator.QUANTIZE, inputs: [v.tensor], outputs: [q] });
  return { ...v, tensor: q };
}

function dequantizeOutput(ctx: ConvertContext, v: Value, name: string): Value {
  const f = ctx.b.addTensor({ name: `${name}/float`, shape: ctx.b.tensors[v.tensor].shape, type: TensorType.FLOAT32 });
  ctx.emit({ op: BuiltinOperator.DEQUANTIZE, inputs: [v.tensor], outputs: [f] });
  return { ...v, tensor: f };
}
