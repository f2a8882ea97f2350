/** The operators the differentiator supports, their gradient rules, and the forward changes some of them need. */
import type { ForwardPatch, GradRule } from './grad-rule';
import { batchNormGrad, convGrad, gemmGrad, matmulGrad } from './grad-rules-linear';
import {
  addSubGrad,
  clipGrad,
  divGrad,
  hardSigmoidGrad,
  hardSwishGrad,
  leakyReluGrad,
  mulGrad,
  passGrad,
  reluGrad,
  sigmoidGrad,
  sumGrad,
  tanhGrad,
} from './grad-rules-pointwise';
import {
  averagePoolGrad,
  concatGrad,
  globalAveragePoolGrad,
  logSoftmaxGrad,
  maxPoolGrad,
  maxPoolPatch,
  reduceMeanGrad,
  reduceSumGrad,
  padGrad,
  reshapeGrad,
  softmaxGrad,
  transposeGrad,
} from './grad-rules-shape';

/** Gradient rules by operator (default ONNX domain). */
export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  Conv: convGrad,
  Gemm: gemmGrad,
  MatMul: matmulGrad,
  BatchNormalization: batchNormGrad,
  Relu: reluGrad,
  LeakyRelu: leakyReluGrad,
  Clip: clipGrad,
  Sigmoid: sigmoidGrad,
  Tanh: tanhGrad,
  HardSigmoid: hardSigmoidGrad,
  HardSwish: hardSwishGrad,
  Add: addSubGrad,
  Sub: addSubGrad,
  Sum: sumGrad,
  Mul: mulGrad,
  Div: divGrad,
  Identity: passGrad,
  Dropout: passGrad,
  MaxPool: maxPoolGrad,
  AveragePool: averagePoolGrad,
  GlobalAveragePool: globalAveragePoolGrad,
  ReduceMean: reduceMeanGrad,
  ReduceSum: reduceSumGrad,
  Pad: padGrad,
  Flatten: reshapeGrad,
  Reshape: reshapeGrad,
  Squeeze: reshapeGrad,
  Unsqueeze: reshapeGrad,
  Transpose: transposeGrad,
  Concat: concatGrad,
  Softmax: softmaxGrad,
  LogSoftmax: logSoftmaxGrad,
};

/** Changes to forward nodes before differentiation (extra outputs a rule reads). */
export const FORWARD_PATCHES: Readonly<Record<string, ForwardPatch>> = {
  MaxPool: maxPoolPatch,
};

/** Operators whose outputs carry no gradient (shapes, comparisons, indices): the differentiator stops at them. */
export const NON_DIFFERENTIABLE = new Set([
  'Shape',
  'Size',
  'Greater',
  'Less',
  'Equal',
  'GreaterOrEqual',
  'LessOrEqual',
  'Not',
  'And',
  'Or',
  'ArgMax',
  'ArgMin',
  'NonZero',
  'ConstantOfShape',
  'Constant',
  'Range',
  'OneHot',
]);

/** @returns the supported operators, sorted (for messages and docs). */
export function supportedGradOps(): string[] {
  return Object.keys(GRAD_RULES).sort();
}
