/** Operator categories for colouring nodes, and the key attributes shown in a node's label. */
import type { AttributeDto } from './graph-dto';

export const OP_CATEGORIES = [
  'linear',
  'activation',
  'normalization',
  'pooling',
  'shape',
  'math',
  'quantization',
  'control',
  'custom',
  'io',
] as const;
export type OpCategory = (typeof OP_CATEGORIES)[number];

/** Readable names of the categories (legend). */
export const CATEGORY_LABELS: Record<OpCategory, string> = {
  linear: 'Conv / linear',
  activation: 'Activation',
  normalization: 'Normalization',
  pooling: 'Pooling',
  shape: 'Shape / data movement',
  math: 'Math / elementwise',
  quantization: 'Quantization',
  control: 'Control flow',
  custom: 'Custom domain',
  io: 'Graph input / output',
};

/** Fill colours, chosen to read with white text in both themes. */
export const CATEGORY_COLORS: Record<OpCategory, string> = {
  linear: '#2d6fb8',
  activation: '#a8433a',
  normalization: '#3c7d4a',
  pooling: '#2f7f7a',
  shape: '#6b5e4e',
  math: '#5c6673',
  quantization: '#8a4fa8',
  control: '#b86b16',
  custom: '#a83a78',
  io: '#39424e',
};

const TABLE: Record<string, OpCategory> = {};
const put = (cat: OpCategory, ops: string) => ops.split(/\s+/).forEach((op) => op && (TABLE[op] = cat));
put('linear', 'Conv ConvTranspose Gemm MatMul Einsum Attention MultiHeadAttention RNN LSTM GRU DeformConv FusedConv FusedGemm FusedMatMul');
put(
  'activation',
  'Relu LeakyRelu PRelu Sigmoid HardSigmoid Tanh Softmax LogSoftmax Softplus Softsign Elu Selu Celu Gelu FastGelu BiasGelu QuickGelu HardSwish Mish ThresholdedRelu Hardmax Swish Erf',
);
put(
  'normalization',
  'BatchNormalization LayerNormalization InstanceNormalization GroupNormalization LpNormalization LRN MeanVarianceNormalization SkipLayerNormalization SimplifiedLayerNormalization RMSNormalization Dropout',
);
put('pooling', 'MaxPool AveragePool GlobalAveragePool GlobalMaxPool LpPool GlobalLpPool MaxRoiPool RoiAlign MaxUnpool');
put(
  'shape',
  'Reshape Transpose Concat Split Slice Gather GatherElements GatherND Scatter ScatterElements ScatterND Squeeze Unsqueeze Flatten Shape Size Expand Tile Pad Resize Upsample Identity Cast CastLike Constant ConstantOfShape DepthToSpace SpaceToDepth Compress OneHot NonZero TopK Range SplitToSequence ConcatFromSequence SequenceAt SequenceConstruct SequenceInsert SequenceLength Trilu EyeLike ReverseSequence',
);
put('quantization', 'QuantizeLinear DequantizeLinear DynamicQuantizeLinear QLinearConv QLinearMatMul MatMulInteger ConvInteger QLinearAdd QLinearMul QLinearSigmoid QLinearLeakyRelu QLinearConcat QLinearGlobalAveragePool QLinearAveragePool DynamicQuantizeMatMul MatMulIntegerToFloat MatMulNBits');
put('control', 'If Loop Scan Where');

/**
 * The category of an operator.
 * @param op - the op type
 * @param domain - its domain; a domain other than the ONNX and onnxruntime ones makes it `custom`
 */
export function opCategory(op: string, domain: string): OpCategory {
  const known = TABLE[op];
  if (domain !== '' && domain !== 'ai.onnx' && domain !== 'com.microsoft' && domain !== 'ai.onnx.ml') return 'custom';
  if (known) return known;
  if (domain === 'ai.onnx.ml') return 'custom';
  return 'math';
}

const ints = (a: AttributeDto | undefined): number[] | undefined => (a && a.value.type === 'ints' ? a.value.value : undefined);
const num = (a: AttributeDto | undefined): number | undefined =>
  a && (a.value.type === 'int' || a.value.type === 'float') ? a.value.value : undefined;

/**
 * The attributes worth showing on a node's face (kernel, strides, pads, dilations, groups, axis, perm …).
 * @param op - the op type
 * @param attributes - the node's attributes
 * @returns short text lines, at most three
 */
export function keyAttributeLines(op: string, attributes: AttributeDto[]): string[] {
  const by = new Map(attributes.map((a) => [a.name, a]));
  const parts: string[] = [];
  const kernel = ints(by.get('kernel_shape'));
  if (kernel) parts.push(`k ${kernel.join('×')}`);
  const strides = ints(by.get('strides'));
  if (strides && strides.some((s) => s !== 1)) parts.push(`s ${allSame(strides) ? strides[0] : strides.join(',')}`);
  const pads = ints(by.get('pads'));
  if (pads && pads.some((p) => p !== 0)) parts.push(`p ${allSame(pads) ? pads[0] : pads.join(',')}`);
  const dil = ints(by.get('dilations'));
  if (dil && dil.some((d) => d !== 1)) parts.push(`d ${allSame(dil) ? dil[0] : dil.join(',')}`);
  const group = num(by.get('group'));
  if (group !== undefined && group !== 1) parts.push(`g ${group}`);
  const lines: string[] = [];
  if (parts.length) lines.push(parts.join('  '));
  const perm = ints(by.get('perm'));
  if (perm) lines.push(`perm ${perm.join(',')}`);
  const axis = num(by.get('axis'));
  if (axis !== undefined && op !== 'QuantizeLinear' && op !== 'DequantizeLinear') lines.push(`axis ${axis}`);
  const axes = ints(by.get('axes'));
  if (axes) lines.push(`axes ${axes.join(',')}`);
  const to = by.get('to');
  if (op === 'Cast' && to && to.value.type === 'int') lines.push(`to ${CAST_NAMES[to.value.value] ?? to.value.value}`);
  const mode = by.get('mode');
  if (mode && mode.value.type === 'string') lines.push(mode.value.value);
  const alpha = num(by.get('alpha'));
  if (alpha !== undefined && (op === 'LeakyRelu' || op === 'Elu')) lines.push(`α ${alpha}`);
  return lines.slice(0, 3);
}

function allSame(a: number[]): boolean {
  return a.every((v) => v === a[0]);
}

const CAST_NAMES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };

/** Names of the inputs of common operators, for weight rows on a node's face (Netron shows the schema's names). */
const INPUT_NAMES: Record<string, string[]> = {
  Conv: ['X', 'W', 'B'],
  ConvTranspose: ['X', 'W', 'B'],
  Gemm: ['A', 'B', 'C'],
  MatMul: ['A', 'B'],
  BatchNormalization: ['X', 'scale', 'B', 'mean', 'var'],
  LayerNormalization: ['X', 'scale', 'B'],
  InstanceNormalization: ['X', 'scale', 'B'],
  Reshape: ['data', 'shape'],
  Add: ['A', 'B'],
  Sub: ['A', 'B'],
  Mul: ['A', 'B'],
  Div: ['A', 'B'],
  Gather: ['data', 'indices'],
  Slice: ['data', 'starts', 'ends', 'axes', 'steps'],
  Pad: ['data', 'pads', 'constant_value', 'axes'],
  Resize: ['X', 'roi', 'scales', 'sizes'],
  QuantizeLinear: ['x', 'scale', 'zero_point'],
  DequantizeLinear: ['x', 'scale', 'zero_point'],
  Unsqueeze: ['data', 'axes'],
  Squeeze: ['data', 'axes'],
  Expand: ['input', 'shape'],
  PRelu: ['X', 'slope'],
  LSTM: ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'],
  GRU: ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h'],
};

/** @returns the schema name of input `i` of `op` when known, else `in{i}`. */
export function inputName(op: string, i: number): string {
  return INPUT_NAMES[op]?.[i] ?? `in${i}`;
}
