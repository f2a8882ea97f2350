/** The table of shape rules by op type (default domain and the com.microsoft ops exporters commonly emit). */
import { DataType } from '../onnx/proto';
import { ifRule, loopRule, scanRule } from './infer-control';
import { einsumRule } from './infer-einsum';
import { BROADCAST_OPS, COMPARE_OPS, UNARY_OPS, boolUnaryRule, broadcastRule, castRule, compareRule, unaryRule, whereRule } from './infer-elementwise';
import {
  attentionRule,
  batchNormRule,
  convRule,
  convTransposeRule,
  depthSpaceRule,
  gemmRule,
  globalPoolRule,
  layerNormRule,
  matmulRule,
  poolRule,
  quantizeRule,
  recurrentRule,
  skipLayerNormRule,
} from './infer-nn';
import {
  concatRule,
  expandRule,
  flattenRule,
  gatherElementsRule,
  gatherNdRule,
  gatherRule,
  reshapeRule,
  shapeRule,
  sizeRule,
  sliceRule,
  splitRule,
  squeezeRule,
  tileRule,
  transposeRule,
  unsqueezeRule,
} from './infer-tensor';
import { constantOfShapeRule, nonZeroRule, oneHotRule, padRule, rangeRule, reduceRule, resizeRule, topKRule } from './infer-sized';
import { intValues, like, scalarValue, type InferRule } from './infer-types';

const REDUCE_OPS = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare', 'ArgMax', 'ArgMin'];

/** Compress: the compressed axis (or the flattened input) has a data-dependent length. */
const compressRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const axis = ctx.attrs.int('axis');
  if (axis === undefined || !x?.shape) return [like(x, axis === undefined ? [null] : null)];
  const a = axis < 0 ? axis + x.shape.length : axis;
  return [like(x, x.shape.map((d, i) => (i === a ? null : d)))];
};

/** Window functions (HannWindow …): a 1-D tensor of the given size. */
const windowRule: InferRule = (ctx) => [{ dtype: ctx.attrs.int('output_datatype', DataType.FLOAT), shape: [scalarValue(ctx.inputs[0]) ?? null] }];

/** GridSample: [N, C, grid dims…]. */
const gridSampleRule: InferRule = (ctx) => {
  const [x, grid] = ctx.inputs;
  return [like(x, x?.shape && grid?.shape ? [x.shape[0], x.shape[1], ...grid.shape.slice(1, -1)] : null)];
};

/** RoiAlign / MaxRoiPool: [rois, C, out_h, out_w]. */
const roiRule: InferRule = (ctx) => {
  const [x, rois] = ctx.inputs;
  const pooled = ctx.attrs.ints('pooled_shape');
  const h = pooled?.[0] ?? ctx.attrs.int('output_height', 1);
  const w = pooled?.[1] ?? ctx.attrs.int('output_width', 1);
  return [like(x, [rois?.shape?.[0] ?? null, x?.shape?.[1] ?? null, h, w])];
};

/** MaxUnpool: output_shape input, else (in-1)·stride + kernel − pads. */
const maxUnpoolRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const given = ctx.has(2) ? intValues(ctx.inputs[2]) : undefined;
  if (given) return [like(x, given)];
  if (!x?.shape) return [like(x, null)];
  const k = ctx.attrs.ints('kernel_shape') ?? [];
  const st = ctx.attrs.ints('strides') ?? [];
  const pads = ctx.attrs.ints('pads') ?? [];
  const n = k.length;
  const spatial = x.shape.slice(2).map((d, i) =>
    typeof d === 'number' ? (d - 1) * (st[i] ?? 1) + k[i] - (pads[i] ?? 0) - (pads[i + n] ?? 0) : null,
  );
  return [like(x, [x.shape[0], x.shape[1], ...spatial])];
};

/** NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: a scalar, or the target's shape without reduction. */
const lossRule: InferRule = (ctx) => {
  const [scores, target] = ctx.inputs;
  const none = ctx.attrs.string('reduction', 'mean') === 'none';
  return [like(scores, none ? (target?.shape ?? null) : []), like(scores, scores?.shape ?? null)];
};

const RULES = new Map<string, InferRule>([
  ...UNARY_OPS.map((op): [string, InferRule] => [op, unaryRule]),
  ...BROADCAST_OPS.map((op): [string, InferRule] => [op, broadcastRule]),
  ...COMPARE_OPS.map((op): [string, InferRule] => [op, compareRule]),
  ...REDUCE_OPS.map((op): [string, InferRule] => [op, reduceRule]),
  ['IsNaN', boolUnaryRule],
  ['IsInf', boolUnaryRule],
  ['Where', whereRule],
  ['Cast', castRule],
  ['CastLike', castRule],
  ['Conv', convRule],
  ['ConvInteger', convRule],
  ['QLinearConv', convRule],
  ['FusedConv', convRule],
  ['NhwcConv', convRule],
  ['ConvTranspose', convTransposeRule],
  ['MaxPool', poolRule],
  ['AveragePool', poolRule],
  ['LpPool', poolRule],
  ['GlobalAveragePool', globalPoolRule],
  ['GlobalMaxPool', globalPoolRule],
  ['GlobalLpPool', globalPoolRule],
  ['Gemm', gemmRule],
  ['FusedGemm', gemmRule],
  ['MatMul', matmulRule],
  ['MatMulInteger', matmulRule],
  ['QLinearMatMul', matmulRule],
  ['FusedMatMul', matmulRule],
  ['MatMulNBits', matmulRule],
  ['Einsum', einsumRule],
  ['BatchNormalization', batchNormRule],
  ['LayerNormalization', layerNormRule],
  ['SimplifiedLayerNormalization', layerNormRule],
  ['GroupNormalization', unaryRule],
  ['RMSNormalization', unaryRule],
  ['SkipLayerNormalization', skipLayerNormRule],
  ['SkipSimplifiedLayerNormalization', skipLayerNormRule],
  ['RNN', recurrentRule],
  ['GRU', recurrentRule],
  ['LSTM', recurrentRule],
  ['DepthToSpace', depthSpaceRule],
  ['SpaceToDepth', depthSpaceRule],
  ['Attention', attentionRule],
  ['MultiHeadAttention', attentionRule],
  ['QuantizeLinear', quantizeRule],
  ['DequantizeLinear', quantizeRule],
  ['DynamicQuantizeLinear', quantizeRule],
  ['Shape', shapeRule],
  ['Size', sizeRule],
  ['Reshape', reshapeRule],
  ['Flatten', flattenRule],
  ['Transpose', transposeRule],
  ['Concat', concatRule],
  ['Split', splitRule],
  ['Slice', sliceRule],
  ['Squeeze', squeezeRule],
  ['Unsqueeze', unsqueezeRule],
  ['Gather', gatherRule],
  ['GatherElements', gatherElementsRule],
  ['GatherND', gatherNdRule],
  ['Expand', expandRule],
  ['Tile', tileRule],
  ['Pad', padRule],
  ['Resize', resizeRule],
  ['Upsample', resizeRule],
  ['ConstantOfShape', constantOfShapeRule],
  ['Range', rangeRule],
  ['TopK', topKRule],
  ['OneHot', oneHotRule],
  ['NonZero', nonZeroRule],
  ['Compress', compressRule],
  ['Bernoulli', (ctx) => [{ dtype: ctx.attrs.int('dtype') ?? ctx.inputs[0]?.dtype ?? 0, shape: ctx.inputs[0]?.shape ?? null }]],
  ['GridSample', gridSampleRule],
  ['RoiAlign', roiRule],
  ['MaxRoiPool', roiRule],
  ['MaxUnpool', maxUnpoolRule],
  ['Det', (ctx) => [like(ctx.inputs[0], ctx.inputs[0]?.shape ? ctx.inputs[0].shape.slice(0, -2) : null)]],
  ['NonMaxSuppression', () => [{ dtype: DataType.INT64, shape: [null, 3] }]],
  ['HannWindow', windowRule],
  ['HammingWindow', windowRule],
  ['BlackmanWindow', windowRule],
  ['NegativeLogLikelihoodLoss', lossRule],
  ['SoftmaxCrossEntropyLoss', lossRule],
  ['If', ifRule],
  ['Loop', loopRule],
  ['Scan', scanRule],
  ['RandomNormalLike', (ctx) => [{ dtype: ctx.attrs.int('dtype') ?? ctx.inputs[0]?.dtype ?? 0, shape: ctx.inputs[0]?.shape ?? null }]],
  ['RandomUniformLike', (ctx) => [{ dtype: ctx.attrs.int('dtype') ?? ctx.inputs[0]?.dtype ?? 0, shape: ctx.inputs[0]?.shape ?? null }]],
  ['RandomNormal', (ctx) => [{ dtype: ctx.attrs.int('dtype', DataType.FLOAT), shape: ctx.attrs.ints('shape') ?? null }]],
  ['RandomUniform', (ctx) => [{ dtype: ctx.attrs.int('dtype', DataType.FLOAT), shape: ctx.attrs.ints('shape') ?? null }]],
]);

/**
 * The rule for an op.
 * @param opType - the node's op type
 * @param domain - the node's domain (`''`, `ai.onnx`, `com.microsoft`)
 * @returns the rule, or undefined for ops static inference does not know
 */
export function ruleFor(opType: string, domain: string): InferRule | undefined {
  if (domain !== '' && domain !== 'ai.onnx' && domain !== 'com.microsoft' && domain !== 'ai.onnx.ml') return undefined;
  return RULES.get(opType);
}

/** @returns the op types static inference has rules for. */
export function knownOps(): string[] {
  return [...RULES.keys()].sort();
}
