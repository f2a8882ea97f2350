/** Adapters for attributes that became inputs (Slice 10, TopK 10, Pad 11, Clip 11, axes 13/18, …) and their inverses. */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeType, DataType, TensorProtoSchema } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/** Reduce operators whose `axes` became an input at opset 18 (ReduceSum did at 13). */
export const REDUCE_OPS_18 = [
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceMax',
  'ReduceMean',
  'ReduceMin',
  'ReduceProd',
  'ReduceSumSquare',
] as const;

/** Moves an INTS attribute to an int64 input at `index` (nothing when the attribute is absent and `required` is false). */
function intsToInput(step: NodeStep, attr: string, index: number, required = false): boolean {
  const values = step.bigInts(attr);
  if (!values) {
    if (required) step.refuse(`it has no "${attr}" attribute, which this operator version requires.`, 'INVALID_MODEL');
    return false;
  }
  step.remove(attr);
  step.setInput(index, step.int64s(attr, values));
  return true;
}

/** Moves constant input `index` back to an INTS attribute; @returns false when the input is absent. */
function inputToInts(step: NodeStep, index: number, attr: string): boolean {
  const values = step.requireValues(index, attr);
  if (!values) return false;
  step.set(attr, { ints: values });
  step.dropInputsFrom(index);
  return true;
}

export const axesToInput: Adapter = (step: NodeStep) => {
  const required = step.node.opType === 'Unsqueeze';
  return intsToInput(step, 'axes', 1, required) ? 'axes attribute → input' : undefined;
};

export const axesToAttribute: Adapter = (step: NodeStep) => {
  if (step.node.input.length > 2) step.refuse('it has more inputs than the older version takes.', 'INVALID_MODEL');
  if (step.int('noop_with_empty_axes', 0) !== 0) {
    const axes = step.values(1);
    if (!axes || axes.length === 0) step.refuse('noop_with_empty_axes=1 with no axes (an identity) has no equivalent in the older version.');
  }
  step.remove('noop_with_empty_axes');
  return inputToInts(step, 1, 'axes') ? 'axes input → attribute' : undefined;
};

export const sliceToInputs: Adapter = (step: NodeStep) => {
  const starts = step.bigInts('starts');
  const ends = step.bigInts('ends');
  if (!starts || !ends) step.refuse('it has no starts/ends attributes.', 'INVALID_MODEL');
  const axes = step.bigInts('axes');
  for (const a of ['starts', 'ends', 'axes']) step.remove(a);
  step.setInput(1, step.int64s('starts', starts));
  step.setInput(2, step.int64s('ends', ends));
  if (axes) step.setInput(3, step.int64s('axes', axes));
  return 'starts/ends/axes attributes → inputs';
};

export const sliceToAttributes: Adapter = (step: NodeStep) => {
  const steps = step.requireValues(4, 'steps');
  if (steps && steps.some((s) => s !== 1)) step.refuse('it slices with steps other than 1, which the older version cannot express.');
  const starts = step.requireValues(1, 'starts');
  const ends = step.requireValues(2, 'ends');
  const axes = step.requireValues(3, 'axes');
  if (!starts || !ends) step.refuse('it has no starts/ends inputs.', 'INVALID_MODEL');
  step.set('starts', { ints: starts });
  step.set('ends', { ints: ends });
  if (axes) step.set('axes', { ints: axes });
  step.dropInputsFrom(1);
  return 'starts/ends/axes inputs → attributes';
};

export const topKToInput: Adapter = (step: NodeStep) => {
  const k = step.attr('k');
  if (!k) step.refuse('it has no "k" attribute.', 'INVALID_MODEL');
  step.remove('k');
  step.setInput(1, step.int64s('k', [k.i]));
  return 'k attribute → K input';
};

export const topKToAttribute: Adapter = (step: NodeStep) => {
  const k = step.requireValues(1, 'K');
  if (!k || k.length !== 1) step.refuse('its K input is not a one-element constant.');
  step.set('k', { i: k[0] });
  step.dropInputsFrom(1);
  return 'K input → k attribute';
};

export const padPaddingsRenamed: Adapter = (step: NodeStep) => {
  const paddings = step.remove('paddings');
  if (!paddings) return undefined;
  step.set('pads', { ints: paddings.ints });
  return 'paddings → pads';
};

export const padToInputs: Adapter = (step: NodeStep) => {
  const pads = step.bigInts('pads');
  if (!pads) step.refuse('it has no "pads" attribute.', 'INVALID_MODEL');
  const value = step.float('value', 0);
  const mode = step.str('mode') ?? 'constant';
  step.remove('pads');
  step.remove('value');
  step.setInput(1, step.int64s('pads', pads));
  if (mode === 'constant' && value !== 0) step.setInput(2, step.scalarLike('value', value, step.input(0)));
  return 'pads/value attributes → inputs';
};

export const padToAttributes: Adapter = (step: NodeStep) => {
  if (step.input(3)) step.refuse('it pads only some axes (the axes input), which the older version cannot express.');
  const pads = step.requireValues(1, 'pads');
  if (!pads) step.refuse('it has no pads input.', 'INVALID_MODEL');
  const value = step.requireValues(2, 'constant_value');
  step.set('pads', { ints: pads });
  if (value && value[0] !== 0) step.set('value', { f: value[0] });
  step.dropInputsFrom(1);
  return 'pads/constant_value inputs → attributes';
};

export const clipToInputs: Adapter = (step: NodeStep) => {
  const min = step.attr('min');
  const max = step.attr('max');
  step.remove('min');
  step.remove('max');
  if (min) step.setInput(1, step.scalarLike('min', min.f, step.input(0)));
  if (max) step.setInput(2, step.scalarLike('max', max.f, step.input(0)));
  return min || max ? 'min/max attributes → inputs' : undefined;
};

export const clipToAttributes: Adapter = (step: NodeStep) => {
  const min = step.requireValues(1, 'min');
  const max = step.requireValues(2, 'max');
  if (min) step.set('min', { f: min[0] });
  if (max) step.set('max', { f: max[0] });
  step.dropInputsFrom(1);
  return min || max ? 'min/max inputs → attributes' : undefined;
};

export const splitToInput: Adapter = (step: NodeStep) => (intsToInput(step, 'split', 1) ? 'split attribute → input' : undefined);

export const splitToAttribute: Adapter = (step: NodeStep) => (inputToInts(step, 1, 'split') ? 'split input → attribute' : undefined);

/** Split 18 wants either the split input or num_outputs; a Split-13 without sizes splits evenly into its outputs. */
export const splitNumOutputs: Adapter = (step: NodeStep) => {
  if (step.input(1)) return undefined;
  step.set('num_outputs', { i: step.node.output.length });
  return 'num_outputs set';
};

export const splitWithoutNumOutputs: Adapter = (step: NodeStep) => {
  const n = step.int('num_outputs');
  step.remove('num_outputs');
  if (n === undefined || step.input(1)) return undefined;
  const shape = step.facts(step.input(0))?.shape;
  const axis = step.int('axis', 0);
  const dim = shape ? shape[axis < 0 ? axis + shape.length : axis] : undefined;
  if (typeof dim !== 'number') step.refuse('num_outputs splits an axis of unknown size; the older version needs the sizes.');
  if (dim % n === 0) return 'num_outputs removed (even split)';
  const chunk = Math.ceil(dim / n);
  const sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  step.setInput(1, step.int64s('split', sizes));
  return 'num_outputs → split sizes';
};

export const dropoutRatioToInput: Adapter = (step: NodeStep) => {
  const mask = step.node.output[1];
  if (mask && step.isUsed(mask)) {
    step.scope.notes.add('Dropout masks read by the model are all true outside training from opset 12 on; older versions left them unspecified (onnxruntime gave zeros).');
  }
  const ratio = step.attr('ratio');
  if (!ratio) return undefined;
  step.remove('ratio');
  step.setInput(1, step.addConstant('ratio', DataType.FLOAT, [], [ratio.f]));
  return 'ratio attribute → input';
};

export const dropoutRatioToAttribute: Adapter = (step: NodeStep) => {
  const training = step.requireValues(2, 'training_mode');
  if (training && training[0] !== 0) step.refuse('it runs in training mode, which the older version cannot express.');
  const mask = step.node.output[1];
  if (mask && step.isUsed(mask)) step.refuse('its mask output is read: versions before 12 do not define the mask outside training (onnxruntime gives zeros).');
  const ratio = step.requireValues(1, 'ratio');
  step.remove('seed');
  if (ratio) step.set('ratio', { f: ratio[0] });
  step.dropInputsFrom(1);
  return ratio ? 'ratio input → attribute' : undefined;
};

export const reshapeShapeToInput: Adapter = (step: NodeStep) => {
  step.remove('consumed_inputs');
  return intsToInput(step, 'shape', 1, true) ? 'shape attribute → input' : undefined;
};

export const dftAxisToInput: Adapter = (step: NodeStep) => {
  const axis = step.int('axis', 1);
  step.remove('axis');
  step.setInput(2, step.int64s('axis', [axis], true));
  return 'axis attribute → input';
};

export const dftAxisToAttribute: Adapter = (step: NodeStep) => {
  const axis = step.requireValues(2, 'axis');
  step.set('axis', { i: axis ? axis[0] : -2 });
  step.dropInputsFrom(2);
  return 'axis input → attribute';
};

/** Gemm before 11 requires C; a missing C is a zero scalar, which broadcasts to the output. */
export const gemmRequiredC: Adapter = (step: NodeStep) => {
  if (step.input(2)) return undefined;
  step.setInput(2, step.scalarLike('c', 0, step.input(0)));
  return 'zero C added';
};

/** Constant before 12 holds only a tensor; the scalar and list forms (value_float, value_ints, …) become one. */
export const constantValueAsTensor: Adapter = (step: NodeStep) => {
  const a = step.node.attribute.find((x) => x.name.startsWith('value_'));
  if (!a) return undefined;
  const name = step.node.output[0];
  const list = a.type === AttributeType.FLOATS || a.type === AttributeType.INTS || a.type === AttributeType.STRINGS;
  const dims = list ? [BigInt(a.floats.length || a.ints.length || a.strings.length)] : [];
  let t;
  if (a.type === AttributeType.FLOAT || a.type === AttributeType.FLOATS) {
    t = create(TensorProtoSchema, { name, dataType: DataType.FLOAT, dims, floatData: list ? [...a.floats] : [a.f] });
  } else if (a.type === AttributeType.INT || a.type === AttributeType.INTS) {
    t = create(TensorProtoSchema, { name, dataType: DataType.INT64, dims, int64Data: list ? [...a.ints] : [a.i] });
  } else if (a.type === AttributeType.STRING || a.type === AttributeType.STRINGS) {
    t = create(TensorProtoSchema, { name, dataType: DataType.STRING, dims, stringData: list ? [...a.strings] : [a.s] });
  } else {
    return step.refuse(`its ${a.name} attribute has no tensor equivalent.`, 'UNSUPPORTED_OP');
  }
  step.remove(a.name);
  step.node.attribute.push(create(AttributeProtoSchema, { name: 'value', type: AttributeType.TENSOR, t }));
  return `${a.name} → value tensor`;
};
