/** Adapters for the changes of opsets 2–9: consumed_inputs, legacy broadcasting, Cast's string type, Tile, PRelu, … */
import { AttributeType, DataType } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/** Opset 6 dropped the `consumed_inputs` attribute (an in-place hint without meaning). */
export const removeConsumedInputs: Adapter = (step: NodeStep) => (step.remove('consumed_inputs') ? 'consumed_inputs removed' : undefined);

/**
 * Opset 7 replaced the `broadcast`/`axis` attributes of element-wise ops by numpy broadcasting. Legacy broadcasting
 * aligned B with A at `axis`; numpy aligns the trailing dimensions, so B gets trailing 1s when `axis` is not where
 * numpy would put it.
 */
export const legacyBroadcast: Adapter = (step: NodeStep) => {
  const broadcast = step.int('broadcast', 0);
  const axisAttr = step.int('axis');
  const had = step.remove('broadcast') !== undefined;
  step.remove('axis');
  if (!broadcast) return had || axisAttr !== undefined ? 'broadcast/axis attributes removed' : undefined;
  if (axisAttr === undefined) return 'legacy broadcast → numpy broadcast';
  const rankA = step.rank(step.input(0));
  const rankB = step.rank(step.input(1));
  if (rankA === undefined || rankB === undefined) {
    step.refuse(`it broadcasts its second input from axis ${axisAttr}, and the ranks of its inputs are unknown. Give the model's inputs fixed ranks, then convert again.`);
  }
  const axis = axisAttr < 0 ? axisAttr + rankA : axisAttr;
  const trailing = rankA - axis - rankB;
  if (trailing < 0) step.refuse(`its broadcast axis ${axisAttr} does not fit a rank-${rankB} input into a rank-${rankA} one.`, 'INVALID_MODEL');
  if (trailing === 0) return 'legacy broadcast → numpy broadcast';
  const axes = Array.from({ length: trailing }, (_, i) => rankB + i);
  step.setInput(1, step.unsqueeze(step.input(1), axes, 'b_aligned'));
  return 'legacy broadcast with axis → Unsqueeze + numpy broadcast';
};

/** Gemm 7 broadcasts C unidirectionally, which covers what `broadcast=1` allowed. */
export const gemmBroadcast: Adapter = (step: NodeStep) => (step.remove('broadcast') ? 'broadcast attribute removed' : undefined);

/** Concat 4 made `axis` required; Concat 1 defaulted to 1. */
export const concatAxisDefault: Adapter = (step: NodeStep) => {
  if (step.attr('axis')) return undefined;
  step.set('axis', { i: 1 });
  return 'default axis 1 made explicit';
};

/** Cast 6 takes the target type as a TensorProto.DataType number instead of its name. */
export const castTypeName: Adapter = (step: NodeStep) => {
  const a = step.attr('to');
  if (!a || a.s.length === 0) return undefined;
  const name = new TextDecoder().decode(a.s).toUpperCase();
  const code = (DataType as unknown as Record<string, number>)[name];
  if (typeof code !== 'number') step.refuse(`its target type "${name}" is not an ONNX element type.`, 'INVALID_MODEL');
  step.set('to', { i: code });
  return 'to: type name → type number';
};

/**
 * PRelu 7 broadcasts the slope numpy-style (trailing axes); PRelu 6 applied a 1-D slope of C values per channel
 * (axis 1), so such a slope gets trailing 1s.
 */
export const preluSlope: Adapter = (step: NodeStep) => {
  const slope = step.input(1);
  const slopeShape = step.facts(slope)?.shape;
  if (!slopeShape || slopeShape.length !== 1 || slopeShape[0] === 1) {
    if (!slopeShape) step.refuse('the shape of its slope is unknown, so its per-channel layout cannot be kept.');
    return undefined;
  }
  const rank = step.rank(step.input(0));
  if (rank === undefined) step.refuse('its slope is per channel and the rank of its input is unknown. Give the model\'s inputs fixed ranks, then convert again.');
  if (rank <= 2) return undefined;
  step.setInput(1, step.unsqueeze(slope, Array.from({ length: rank - 2 }, (_, i) => i + 1), 'slope_per_channel'));
  return 'per-channel slope → Unsqueeze to [C,1,…]';
};

/** LpPool/GlobalLpPool 2 take `p` as an integer. */
export const lpPoolIntegerP: Adapter = (step: NodeStep) => {
  const a = step.attr('p');
  if (!a || a.type !== AttributeType.FLOAT) return undefined;
  if (!Number.isInteger(a.f)) step.refuse(`its p=${a.f} is not an integer; later versions only take integer norms.`);
  step.set('p', { i: a.f });
  return 'p: float → int';
};

/** RNN/LSTM/GRU 7 dropped `output_sequence` (Y is produced when its output is named); GRU 3 fixed "foward". */
export const rnnOutputSequence: Adapter = (step: NodeStep) => {
  const removed = step.remove('output_sequence') !== undefined;
  if (step.str('direction') === 'foward') step.set('direction', { s: 'forward' });
  return removed ? 'output_sequence removed' : undefined;
};

export const gruDirectionSpelling: Adapter = (step: NodeStep) => {
  if (step.str('direction') !== 'foward') return undefined;
  step.set('direction', { s: 'forward' });
  return 'direction "foward" → "forward"';
};

/** Split 2 lost its optional `split` input; constant sizes become the attribute. */
export const splitInputToAttribute: Adapter = (step: NodeStep) => {
  if (!step.input(1)) return undefined;
  const sizes = step.requireValues(1, 'split');
  step.set('split', { ints: sizes ?? [] });
  step.dropInputsFrom(1);
  return 'split input → attribute';
};

/** Tile 6 takes per-axis repeats; Tile 1 took a count and an axis. */
export const tileRepeats: Adapter = (step: NodeStep) => {
  if (step.node.input.length < 3) return undefined;
  const tiles = step.requireValues(1, 'tiles');
  const axis = step.requireValues(2, 'axis');
  const rank = step.rank(step.input(0));
  if (!tiles || !axis || rank === undefined) step.refuse('its input rank is unknown, so the per-axis repeats of Tile 6 cannot be built.');
  const a = axis[0] < 0 ? axis[0] + rank : axis[0];
  const repeats = Array.from({ length: rank }, (_, i) => (i === a ? tiles[0] : 1));
  step.dropInputsFrom(1);
  step.setInput(1, step.int64s('repeats', repeats));
  return 'tiles/axis → repeats';
};

/** Upsample 7 takes `scales` for every axis instead of height_scale/width_scale of a 4-D input. */
export const upsampleScalesAttribute: Adapter = (step: NodeStep) => {
  const mode = step.str('mode');
  if (mode === 'bilinear') step.set('mode', { s: 'linear' });
  if (step.attr('scales')) return mode === 'bilinear' ? 'mode bilinear → linear' : undefined;
  const h = step.float('height_scale', NaN);
  const w = step.float('width_scale', NaN);
  if (Number.isNaN(h) || Number.isNaN(w)) step.refuse('it has neither scales nor height_scale/width_scale.', 'INVALID_MODEL');
  step.remove('height_scale');
  step.remove('width_scale');
  step.set('scales', { floats: [1, 1, h, w] });
  return 'height_scale/width_scale → scales';
};

/** Upsample 9 takes the scales as an input. */
export const upsampleScalesToInput: Adapter = (step: NodeStep) => {
  const scales = step.floats('scales');
  if (!scales) step.refuse('it has no scales attribute.', 'INVALID_MODEL');
  step.remove('scales');
  step.setInput(1, step.addConstant('scales', DataType.FLOAT, [scales.length], scales));
  return 'scales attribute → input';
};

export const upsampleScalesToAttribute: Adapter = (step: NodeStep) => {
  const scales = step.requireValues(1, 'scales');
  if (!scales) step.refuse('it has no scales input.', 'INVALID_MODEL');
  step.set('scales', { floats: scales });
  step.dropInputsFrom(1);
  return 'scales input → attribute';
};
