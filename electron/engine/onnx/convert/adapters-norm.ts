/** Adapters for BatchNormalization (is_test, spatial, training outputs), Dropout (is_test, mask type) and GroupNormalization. */
import type { Adapter, NodeStep } from './convert-context';

/** BatchNormalization 7 dropped `is_test`: a node in training mode (is_test=0) computes with batch statistics. */
export const batchNormIsTest: Adapter = (step: NodeStep) => {
  const isTest = step.int('is_test', 0);
  step.remove('is_test');
  if (isTest === 0) {
    step.refuse(
      'it is in training mode (is_test=0), where it normalizes with the statistics of each batch; later versions have ' +
        'no such inference op. If the model is meant for inference, export it again in evaluation mode.',
    );
  }
  return 'is_test removed';
};

/**
 * BatchNormalization 9 dropped `spatial`; spatial=0 (statistics per activation) becomes Mul and Add by folded
 * per-activation constants.
 */
export const batchNormSpatial: Adapter = (step: NodeStep) => {
  const spatial = step.int('spatial', 1);
  step.remove('spatial');
  if (spatial !== 0) return undefined;
  dropUnusedOutputs(step);
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => step.values(i));
  const scaleTensor = step.constant(1);
  if (!scale || !bias || !mean || !variance || !scaleTensor) {
    step.refuse('it normalizes per activation (spatial=0) with statistics computed at run time; only constant statistics can be folded.');
  }
  const eps = step.float('epsilon', 1e-5);
  const a = scale.map((s, i) => s / Math.sqrt(variance[i] + eps));
  const b = bias.map((v, i) => v - mean[i] * a[i]);
  const dims = perActivationDims(step, scaleTensor.dims.map(Number), a.length);
  const x = step.input(0);
  const y = step.node.output[0];
  const params = [1, 2, 3, 4].map((i) => step.input(i));
  step.node.opType = 'Mul';
  step.node.attribute.splice(0);
  step.node.input.splice(0, step.node.input.length, x, step.addConstant('scale_folded', scaleTensor.dataType, dims, a));
  const product = step.renameOutput(0, 'scaled');
  step.addAfter('Add', [product, step.addConstant('bias_folded', scaleTensor.dataType, dims, b)], [y]);
  for (const p of params) step.detach(p);
  return 'spatial=0 → Mul + Add (folded statistics)';
};

/** The shape that broadcasts per-activation parameters over [N, C, D1, …]: the input's shape without N. */
function perActivationDims(step: NodeStep, dims: number[], count: number): number[] {
  const shape = step.facts(step.input(0))?.shape;
  const rank = shape?.length;
  if (rank !== undefined && dims.length === rank - 1) return dims;
  if (shape && shape.slice(1).every((d) => typeof d === 'number') && (shape.slice(1) as number[]).reduce((p, d) => p * d, 1) === count) {
    return shape.slice(1) as number[];
  }
  return step.refuse('its per-activation parameters do not match a known input shape.');
}

/** BatchNormalization 14 has only running-statistics outputs; the training outputs of older versions must be unused. */
export const batchNormOutputs: Adapter = (step: NodeStep) => (dropUnusedOutputs(step) ? 'unused training outputs dropped' : undefined);

function dropUnusedOutputs(step: NodeStep): boolean {
  const extra = step.node.output.slice(1).filter((o) => o !== '');
  if (extra.length === 0) return false;
  const used = extra.filter((o) => step.isUsed(o));
  if (used.length > 0) {
    step.refuse(`its training-mode outputs (${used.map((o) => `"${o}"`).join(', ')}) are read; later versions compute them only in training mode, which inference runtimes do not run.`);
  }
  step.node.output.splice(1);
  step.graph.invalidate();
  return true;
}

export const batchNormSingleOutput: Adapter = (step: NodeStep) => {
  if (step.node.output.slice(1).some((o) => o !== '')) step.refuse('it has training-mode outputs, which the older version computes differently.');
  return undefined;
};

/** Dropout 7 dropped `is_test`; inference runtimes compute every Dropout as an identity. */
export const dropoutIsTest: Adapter = (step: NodeStep) => {
  const a = step.remove('is_test');
  if (!a) return undefined;
  if (Number(a.i) === 0) step.scope.notes.add('Dropout nodes marked is_test=0 (training) now act as in inference: they pass their input through.');
  return 'is_test removed';
};

/** Dropout 10 outputs its mask as bool (it had the data's type); a read mask is cast back. */
export const dropoutMaskType: Adapter = (step: NodeStep) => {
  const mask = step.node.output[1];
  if (!mask || !step.isUsed(mask)) return undefined;
  const x = step.input(0);
  const dtype = step.dtype(x);
  const boolMask = step.renameOutput(1, 'mask_bool');
  if (dtype !== undefined) step.addAfter('Cast', [boolMask], [mask], { to: { i: dtype } });
  else if (step.target >= 15) step.addAfter('CastLike', [boolMask, x], [mask]);
  else step.refuse('its mask output is read and the element type of its input is unknown.');
  return 'bool mask cast to the data type';
};

export const dropoutMaskUnused: Adapter = (step: NodeStep) => {
  const mask = step.node.output[1];
  if (!mask) return undefined;
  if (step.isUsed(mask)) step.refuse('its mask output is read; the older version\'s mask has the data\'s type instead of bool.');
  step.node.output.splice(1);
  step.graph.invalidate();
  return 'unused mask output dropped';
};

/** GroupNormalization 21 takes scale and bias per channel; version 18 took them per group. */
export const groupNormPerChannel: Adapter = (step: NodeStep) => {
  const groups = step.int('num_groups');
  const channels = step.facts(step.input(0))?.shape?.[1];
  const scale = step.values(1);
  const bias = step.values(2);
  const scaleTensor = step.constant(1);
  const biasTensor = step.constant(2);
  if (groups === undefined || typeof channels !== 'number' || !scale || !bias || !scaleTensor || !biasTensor) {
    step.refuse('its per-group scale and bias must be constants and its channel count known to become per-channel ones.');
  }
  if (channels % groups !== 0 || scale.length !== groups || bias.length !== groups) {
    step.refuse(`${channels} channels do not split into ${groups} groups matching its scale and bias.`, 'INVALID_MODEL');
  }
  const per = channels / groups;
  const expand = (v: number[]) => Array.from({ length: channels }, (_, c) => v[Math.floor(c / per)]);
  step.detach(step.input(1));
  step.detach(step.input(2));
  step.setInput(1, step.addConstant('scale', scaleTensor.dataType, [channels], expand(scale)));
  step.setInput(2, step.addConstant('bias', biasTensor.dataType, [channels], expand(bias)));
  return 'per-group scale/bias → per-channel';
};
