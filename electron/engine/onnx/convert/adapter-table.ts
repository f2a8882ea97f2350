/**
 * Which adapter runs for each operator version step. A step not listed going up only added element types, negative
 * axes or attributes whose defaults keep the old behaviour (checked against ONNX's changelog up to opset 26).
 */
import * as inputs from './adapters-inputs';
import * as legacy from './adapters-legacy';
import * as norm from './adapters-norm';
import * as resize from './adapters-resize';
import { softmaxAxis13, softmaxAxisDown } from './adapters-softmax';
import { scan8To9, scatterToScatterElements } from './adapters-control';
import type { Adapter } from './convert-context';
import { compatibleDown, maxPoolWithoutIndices, perTensorQuantization, sameShapeInputs } from './down-checks';

/** Up-conversion adapters, keyed `Op@version` for the step into `version` (from the version before it). */
export const UP_ADAPTERS = new Map<string, Adapter>();

/** Down-conversion adapters, keyed `Op@version` for the step out of `version` (to the version before it). */
export const DOWN_ADAPTERS = new Map<string, Adapter>();

function up(ops: readonly string[], version: number, adapter: Adapter): void {
  for (const op of ops) UP_ADAPTERS.set(`${op}@${version}`, adapter);
}

function down(ops: readonly string[], version: number, adapter: Adapter): void {
  for (const op of ops) DOWN_ADAPTERS.set(`${op}@${version}`, adapter);
}

const CONSUMED_INPUTS_6 = [
  'Abs', 'Add', 'Ceil', 'Clip', 'Div', 'Dropout', 'Elu', 'Exp', 'Floor', 'HardSigmoid', 'InstanceNormalization', 'LeakyRelu', 'Log',
  'Max', 'Mean', 'Min', 'Mul', 'Neg', 'PRelu', 'Reciprocal', 'Relu', 'Selu', 'Sigmoid', 'Sqrt', 'Sub', 'Sum', 'Tanh', 'BatchNormalization',
];
const LEGACY_BROADCAST_7 = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Greater', 'Less'];
const SOFTMAX_FAMILY = ['Softmax', 'LogSoftmax', 'Hardmax'];

// Opsets 2–9
up(['Pad'], 2, inputs.padPaddingsRenamed);
up(['LpPool', 'GlobalLpPool'], 2, legacy.lpPoolIntegerP);
up(['Split'], 2, legacy.splitInputToAttribute);
up(['GRU'], 3, legacy.gruDirectionSpelling);
up(['Concat'], 4, legacy.concatAxisDefault);
up(['Reshape'], 5, inputs.reshapeShapeToInput);
up(CONSUMED_INPUTS_6, 6, legacy.removeConsumedInputs);
up(['Cast'], 6, legacy.castTypeName);
up(['Tile'], 6, legacy.tileRepeats);
up(LEGACY_BROADCAST_7, 7, legacy.legacyBroadcast);
up(['Gemm'], 7, legacy.gemmBroadcast);
up(['PRelu'], 7, legacy.preluSlope);
up(['GRU', 'LSTM', 'RNN'], 7, legacy.rnnOutputSequence);
up(['BatchNormalization'], 7, norm.batchNormIsTest);
up(['Dropout'], 7, norm.dropoutIsTest);
up(['Upsample'], 7, legacy.upsampleScalesAttribute);
up(['BatchNormalization'], 9, norm.batchNormSpatial);
up(['Upsample'], 9, legacy.upsampleScalesToInput);
up(['Scan'], 9, scan8To9);

// Opsets 10–13
up(['Slice'], 10, inputs.sliceToInputs);
up(['TopK'], 10, inputs.topKToInput);
up(['Dropout'], 10, norm.dropoutMaskType);
up(['Upsample'], 10, resize.upsampleToResize);
up(['Resize'], 11, resize.resize10To11);
up(['Pad'], 11, inputs.padToInputs);
up(['Clip'], 11, inputs.clipToInputs);
up(['Scatter'], 11, scatterToScatterElements);
up(['Dropout'], 12, inputs.dropoutRatioToInput);
up(['Squeeze', 'Unsqueeze', 'ReduceSum'], 13, inputs.axesToInput);
up(['Split'], 13, inputs.splitToInput);
up(SOFTMAX_FAMILY, 13, softmaxAxis13);
up(['Resize'], 13, resize.resizeTfHalfPixel);

// Opsets 14–21
up(['BatchNormalization'], 14, norm.batchNormOutputs);
up(['RoiAlign'], 16, resize.roiAlignCoordinates);
up(inputs.REDUCE_OPS_18, 18, inputs.axesToInput);
up(['Split'], 18, inputs.splitNumOutputs);
up(['DFT'], 20, inputs.dftAxisToInput);
up(['GridSample'], 20, resize.gridSampleModes);
up(['GroupNormalization'], 21, norm.groupNormPerChannel);

// Down: the inverse moves, for constant inputs
down(['Max', 'Min', 'Sum', 'Mean'], 8, sameShapeInputs);
down(['MaxPool'], 8, maxPoolWithoutIndices);
down(['BatchNormalization'], 9, () => undefined);
down(['Upsample'], 9, legacy.upsampleScalesToAttribute);
down(['Slice'], 10, inputs.sliceToAttributes);
down(['TopK'], 10, inputs.topKToAttribute);
down(['Dropout'], 10, norm.dropoutMaskUnused);
down(['Resize'], 10, resize.resizeToUpsample);
down(['Pad'], 11, inputs.padToAttributes);
down(['Gemm'], 11, inputs.gemmRequiredC);
down(['Clip'], 11, inputs.clipToAttributes);
down(['Dropout'], 12, inputs.dropoutRatioToAttribute);
down(['Constant'], 12, inputs.constantValueAsTensor);
down(['Squeeze', 'Unsqueeze', 'ReduceSum'], 13, inputs.axesToAttribute);
down(['Split'], 13, inputs.splitToAttribute);
down(SOFTMAX_FAMILY, 13, softmaxAxisDown);
down(['Resize'], 13, resize.resizeEmptyInputs);
down(['QuantizeLinear', 'DequantizeLinear'], 13, perTensorQuantization);
down(['BatchNormalization'], 14, (step) => norm.batchNormSingleOutput(step) ?? compatibleDown(step));
down(['RoiAlign'], 16, resize.roiAlignCoordinatesDown);
down(inputs.REDUCE_OPS_18, 18, inputs.axesToAttribute);
down(['Split'], 18, inputs.splitWithoutNumOutputs);
down(['DFT'], 20, inputs.dftAxisToAttribute);
down(['GridSample'], 20, resize.gridSampleModesDown);
