/** The operator registry of static (QDQ) quantization: how each op type is quantized so onnxruntime fuses it. */

/**
 * How an op quantizes.
 * - `conv`: activation, per-channel weight (axis 0), int32 bias; output quantized → QLinearConv
 * - `gemm`: activation, weight (axis by transB), int32 bias; output quantized when read by quantized ops → QGemm
 * - `matmul`: activation and a weight or a second activation → QLinearMatMul / MatMulIntegerToFloat
 * - `binary`: both inputs and the output (constants quantized like activations) → QLinearAdd / QLinearMul
 * - `unary`: input and output with their own scales → QLinearAveragePool, QLinearGlobalAveragePool …
 * - `variadic`: every input and the output → QLinearConcat
 * - `same`: data input and output share one scale; onnxruntime drops the Q/DQ pair and runs the op on integers
 * - `activation`: Relu / Clip(0, max) folded into the producer's output range (asymmetric activations)
 */
export type OpKind = 'conv' | 'gemm' | 'matmul' | 'binary' | 'unary' | 'variadic' | 'same' | 'activation';

export const OP_KINDS: Readonly<Record<string, OpKind>> = {
  Conv: 'conv',
  Gemm: 'gemm',
  MatMul: 'matmul',
  Add: 'binary',
  Mul: 'binary',
  AveragePool: 'unary',
  GlobalAveragePool: 'unary',
  Sigmoid: 'unary',
  LeakyRelu: 'unary',
  Softmax: 'unary',
  Concat: 'variadic',
  MaxPool: 'same',
  Resize: 'same',
  Reshape: 'same',
  Transpose: 'same',
  Flatten: 'same',
  Squeeze: 'same',
  Unsqueeze: 'same',
  Expand: 'same',
  Slice: 'same',
  Gather: 'same',
  Tile: 'same',
  Relu: 'activation',
  Clip: 'activation',
};

/** Op types quantized by default: those onnxruntime's CPU kernels fuse without hurting accuracy much. */
export const DEFAULT_STATIC_OPS: readonly string[] = [
  'Conv',
  'Gemm',
  'MatMul',
  'Add',
  'Mul',
  'AveragePool',
  'GlobalAveragePool',
  'Concat',
  'MaxPool',
  'Resize',
  'Reshape',
  'Transpose',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Relu',
  'Clip',
];

/** Op types dynamic quantization converts (weights int8, activations quantized at run time). */
export const DYNAMIC_OPS: readonly string[] = ['MatMul', 'Gemm', 'Conv'];

/** The compute ops whose weights are quantized (what "quantizable" means for a model). */
export const WEIGHTED_OPS: readonly string[] = ['Conv', 'Gemm', 'MatMul'];

/**
 * Ops whose float side onnxruntime accepts only as float32 at the opsets exports use (DynamicQuantizeLinear always; the
 * Q/DQ pair before opset 19): fp16 conversion always keeps them in float32, whatever the block list says, so an
 * already-quantized model (e.g. a dynamic-int8 export) converts instead of becoming invalid.
 */
export const FP32_ONLY_OPS: readonly string[] = ['DynamicQuantizeLinear', 'QuantizeLinear', 'DequantizeLinear'];

/** Ops kept in float16-unsafe precision by default when converting to fp16 (numerically fragile). */
export const FP16_BLOCK_DEFAULT: readonly string[] = [
  'Resize',
  'Range',
  'NonMaxSuppression',
  'TopK',
  'RoiAlign',
  'CumSum',
  'Pow',
  'ReduceSum',
  'ReduceSumSquare',
  'ReduceProd',
  'ReduceLogSumExp',
  'Exp',
  'Log',
  'Softmax',
  'LogSoftmax',
  'InstanceNormalization',
  'LayerNormalization',
  'Einsum',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
];

/** @returns the op kind of a node of the default domain, or undefined when it is not in the registry. */
export function opKind(opType: string, domain: string): OpKind | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.prototype.hasOwnProperty.call(OP_KINDS, opType) ? OP_KINDS[opType] : undefined;
}

/** Ops mixed fp16 also keeps in float32: normalizations, reductions and divisions, where float16 loses range first. */
export const FP16_MIXED_EXTRA: readonly string[] = ['BatchNormalization', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceL2', 'Div', 'Sqrt', 'Reciprocal', 'GlobalAveragePool', 'Sigmoid', 'Tanh', 'Erf', 'Gelu'];
