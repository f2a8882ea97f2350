/**
 * The experimental ai.onnx operators of opsets 1–9 (removed in ONNX 1.5) that older exporters wrote and onnxruntime
 * still ran, rewritten as standard operators: ImageScaler, Scale, Affine, ScaledTanh, ParametricSoftplus, Crop,
 * DynamicSlice and ThresholdedRelu.
 */
import { DataType } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/** Turns the node into `opType` on `inputs`, dropping its attributes (the caller read them first). */
function become(step: NodeStep, opType: string, inputs: string[]): void {
  step.node.opType = opType;
  step.node.attribute.splice(0);
  step.node.input.splice(0, step.node.input.length, ...inputs);
  step.graph.invalidate();
}

/** A float constant of the element type of the node's first input (float32 when unknown). */
function floatConstant(step: NodeStep, suffix: string, dims: number[], values: number[]): string {
  const dtype = step.dtype(step.input(0));
  const type = dtype === DataType.FLOAT16 || dtype === DataType.DOUBLE ? dtype : DataType.FLOAT;
  return step.addConstant(suffix, type, dims, values);
}

/** y = x · a (+ b afterwards); `b` has the shape given. */
function scaleShift(step: NodeStep, a: number, b?: { dims: number[]; values: number[] }): void {
  const x = step.input(0);
  if (!b) {
    become(step, 'Mul', [x, floatConstant(step, 'scale', [], [a])]);
    return;
  }
  const y = step.node.output[0];
  become(step, 'Mul', [x, floatConstant(step, 'scale', [], [a])]);
  const scaled = step.renameOutput(0, 'scaled');
  step.addAfter('Add', [scaled, floatConstant(step, 'bias', b.dims, b.values)], [y]);
}

export const imageScaler: Adapter = (step: NodeStep) => {
  const bias = step.floats('bias');
  scaleShift(step, step.float('scale', 1), bias ? { dims: [1, bias.length, 1, 1], values: bias } : undefined);
  return 'ImageScaler → Mul + Add';
};

export const scale: Adapter = (step: NodeStep) => {
  scaleShift(step, step.float('scale', 1));
  return 'Scale → Mul';
};

export const affine: Adapter = (step: NodeStep) => {
  scaleShift(step, step.float('alpha', 1), { dims: [], values: [step.float('beta', 0)] });
  return 'Affine → Mul + Add';
};

/** y = alpha · f(beta · x) for f = Tanh (ScaledTanh) or Softplus (ParametricSoftplus). */
function scaledActivation(step: NodeStep, f: string): void {
  const alpha = step.float('alpha', 1);
  const beta = step.float('beta', 1);
  const x = step.input(0);
  const y = step.node.output[0];
  const inner = step.add('Mul', [x, floatConstant(step, 'beta', [], [beta])], 'scaled_in');
  become(step, f, [inner]);
  const activated = step.renameOutput(0, 'activated');
  step.addAfter('Mul', [activated, floatConstant(step, 'alpha', [], [alpha])], [y]);
}

export const scaledTanh: Adapter = (step: NodeStep) => {
  scaledActivation(step, 'Tanh');
  return 'ScaledTanh → Mul + Tanh + Mul';
};

export const parametricSoftplus: Adapter = (step: NodeStep) => {
  scaledActivation(step, 'Softplus');
  return 'ParametricSoftplus → Mul + Softplus + Mul';
};

/** ThresholdedRelu became a standard operator at opset 10 with the same meaning. */
export const thresholdedRelu: Adapter = () => 'experimental ThresholdedRelu → ThresholdedRelu-10';

/** DynamicSlice took starts/ends/axes as inputs, as Slice does from opset 10. */
export const dynamicSlice: Adapter = (step: NodeStep) => {
  step.node.opType = 'Slice';
  return 'DynamicSlice → Slice';
};

/** Crop cut `border` (left, top, right, bottom) off the spatial axes of an NCHW input, or a `scale`-sized window. */
export const crop: Adapter = (step: NodeStep) => {
  const [left, top, right, bottom] = step.ints('border') ?? [0, 0, 0, 0];
  const size = step.ints('scale');
  const max = 2n ** 63n - 1n;
  const ends = size ? [top + size[0], left + size[1]] : [bottom > 0 ? -bottom : max, right > 0 ? -right : max];
  const inputs = [step.input(0), step.int64s('starts', [top, left]), step.int64s('ends', ends), step.int64s('axes', [2, 3])];
  become(step, 'Slice', inputs);
  return 'Crop → Slice';
};

/**
 * Experimental operators by name: the adapter, and the version of the standard operator the node then matches (the
 * node's own opset when the replacement is unchanged since opset 1).
 */
export const EXPERIMENTAL: ReadonlyMap<string, { adapter: Adapter; matches?: number }> = new Map([
  ['ImageScaler', { adapter: imageScaler }],
  ['Scale', { adapter: scale }],
  ['Affine', { adapter: affine }],
  ['ScaledTanh', { adapter: scaledTanh }],
  ['ParametricSoftplus', { adapter: parametricSoftplus }],
  ['ThresholdedRelu', { adapter: thresholdedRelu, matches: 10 }],
  ['DynamicSlice', { adapter: dynamicSlice, matches: 10 }],
  ['Crop', { adapter: crop, matches: 10 }],
]);
