/** Adapters for resampling ops: Upsample → Resize, Resize 10/11/13 coordinate semantics, RoiAlign 16, GridSample 20. */
import { DataType } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/** Upsample was removed at opset 10; Resize 10 takes the same inputs and modes. */
export const upsampleToResize: Adapter = (step: NodeStep) => {
  const mode = step.str('mode') ?? 'nearest';
  step.node.opType = 'Resize';
  step.set('mode', { s: mode === 'bilinear' ? 'linear' : mode });
  step.scope.fromUpsample.add(step.node);
  return 'Upsample → Resize';
};

export const resizeToUpsample: Adapter = (step: NodeStep) => {
  step.node.opType = 'Upsample';
  return 'Resize → Upsample';
};

/**
 * Resize 11 adds `roi` and coordinate modes. Resize 10 (and Upsample) mapped output pixels with x / scale (the
 * `asymmetric` mode) and rounded nearest pixels down when upsampling and up when downsampling.
 */
export const resize10To11: Adapter = (step: NodeStep) => {
  const mode = step.str('mode') ?? 'nearest';
  step.set('coordinate_transformation_mode', { s: 'asymmetric' });
  if (mode === 'nearest') step.set('nearest_mode', { s: nearestRounding(step) });
  const x = step.input(0);
  const scales = step.input(1);
  const roi = step.target >= 13 ? '' : step.addConstant('roi', DataType.FLOAT, [0], []);
  step.node.input.splice(0, step.node.input.length, x, roi, scales);
  step.graph.invalidate();
  return mode === 'nearest' ? 'roi input, asymmetric coordinates, nearest_mode for Resize-10 rounding' : 'roi input, asymmetric coordinates';
};

function nearestRounding(step: NodeStep): 'floor' | 'ceil' {
  if (step.scope.fromUpsample.has(step.node)) return 'floor';
  const known = step.values(1) ?? numericValues(step.facts(step.input(1))?.value);
  if (!known) {
    step.scope.notes.add('Resize-10 nearest nodes with scales computed at run time were converted for upsampling (scales ≥ 1), the use every exporter makes of them.');
    return 'floor';
  }
  const up = known.some((s) => s > 1);
  const down = known.some((s) => s < 1);
  if (up && down) step.refuse('it upsamples some axes and downsamples others with nearest pixels; Resize-11 rounds every axis the same way.');
  return down ? 'ceil' : 'floor';
}

function numericValues(values: ReadonlyArray<unknown> | undefined): number[] | undefined {
  return values && values.every((v) => typeof v === 'number') ? (values as number[]) : undefined;
}

/**
 * Resize 13 dropped the `tf_half_pixel_for_nn` coordinate mode. For nearest pixels it equals `half_pixel` shifted by
 * half a pixel, which the rounding mode absorbs: floor(x + ½) is round_prefer_ceil(x), round_prefer_floor(x + ½) is
 * ceil(x).
 */
export const resizeTfHalfPixel: Adapter = (step: NodeStep) => {
  if (step.str('coordinate_transformation_mode') !== 'tf_half_pixel_for_nn') return undefined;
  if ((step.str('mode') ?? 'nearest') !== 'nearest') step.refuse('it uses tf_half_pixel_for_nn coordinates with interpolation, which later versions cannot express.');
  const rounding = step.str('nearest_mode') ?? 'round_prefer_floor';
  const mapped = rounding === 'floor' ? 'round_prefer_ceil' : rounding === 'round_prefer_floor' ? 'ceil' : undefined;
  if (!mapped) step.refuse(`it uses tf_half_pixel_for_nn coordinates with nearest_mode ${rounding}, which later versions cannot express.`);
  step.set('coordinate_transformation_mode', { s: 'half_pixel' });
  step.set('nearest_mode', { s: mapped });
  return 'tf_half_pixel_for_nn → half_pixel with shifted rounding';
};

/** Resize 11 and 12 need roi and scales present (empty tensors when unused). */
export const resizeEmptyInputs: Adapter = (step: NodeStep) => {
  const missing = [1, 2].filter((i) => !step.input(i) && (i === 1 || step.input(3)));
  for (const i of missing) step.setInput(i, step.addConstant(i === 1 ? 'roi' : 'scales', DataType.FLOAT, [0], []));
  return missing.length > 0 ? 'empty roi/scales inputs' : undefined;
};

/** RoiAlign 16 defaults to half_pixel; version 10 behaved as output_half_pixel. */
export const roiAlignCoordinates: Adapter = (step: NodeStep) => {
  if (step.attr('coordinate_transformation_mode')) return undefined;
  step.set('coordinate_transformation_mode', { s: 'output_half_pixel' });
  return 'coordinate_transformation_mode=output_half_pixel made explicit';
};

export const roiAlignCoordinatesDown: Adapter = (step: NodeStep) => {
  if ((step.str('coordinate_transformation_mode') ?? 'half_pixel') !== 'output_half_pixel') {
    step.refuse('it uses half_pixel coordinates; the older version only computes output_half_pixel ones.');
  }
  step.remove('coordinate_transformation_mode');
  return 'coordinate_transformation_mode removed';
};

const GRID_MODES_20: Record<string, string> = { bilinear: 'linear', bicubic: 'cubic' };

/** GridSample 20 renamed its modes (bilinear → linear, bicubic → cubic). */
export const gridSampleModes: Adapter = (step: NodeStep) => {
  const mode = step.str('mode');
  if (!mode || !GRID_MODES_20[mode]) return undefined;
  step.set('mode', { s: GRID_MODES_20[mode] });
  return `mode ${mode} → ${GRID_MODES_20[mode]}`;
};

export const gridSampleModesDown: Adapter = (step: NodeStep) => {
  if (step.rank(step.input(0)) !== 4) step.refuse('the older version samples only 4-D inputs and this input is not known to be 4-D.');
  const mode = step.str('mode');
  const back = Object.entries(GRID_MODES_20).find(([, v]) => v === mode)?.[0];
  if (!back) return undefined;
  step.set('mode', { s: back });
  return `mode ${mode} → ${back}`;
};
