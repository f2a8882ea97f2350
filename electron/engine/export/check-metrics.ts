/** Agreement figures between a reference output (onnxruntime) and an exported model's output on the same inputs. */

/** How close an exported model's outputs are to the ONNX model's. */
export interface AgreementFigures {
  /** samples compared */
  samples: number;
  /** largest absolute difference over all outputs */
  maxAbsError: number;
  /** the reference outputs' range (max − min), the scale the error is judged against */
  outputRange: number;
  /** maxAbsError / outputRange */
  relativeMaxError: number;
  /** signal-to-noise ratio of the output in dB (reference power over difference power); Infinity when identical */
  snrDb: number;
  /** fraction of samples whose arg-max class agrees (classifier outputs only) */
  top1Agreement?: number;
}

/**
 * Compares outputs sample by sample.
 * @param reference - reference values, [samples × perSample]
 * @param candidate - exported model's values, same layout
 * @param samples - number of samples
 * @param classes - size of the last axis when the output is a classifier's scores, for top-1 agreement
 */
export function agreement(reference: Float32Array, candidate: Float32Array, samples: number, classes?: number): AgreementFigures {
  let maxAbs = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i];
    const d = Math.abs(r - candidate[i]);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
    sig += r * r;
    noise += d * d;
  }
  const range = hi - lo;
  const figures: AgreementFigures = {
    samples,
    maxAbsError: maxAbs,
    outputRange: range,
    relativeMaxError: range > 0 ? maxAbs / range : maxAbs,
    snrDb: noise === 0 ? Infinity : 10 * Math.log10(sig / noise),
  };
  if (classes && classes > 1 && reference.length === samples * classes) {
    let agree = 0;
    for (let s = 0; s < samples; s++) {
      if (argmax(reference, s * classes, classes) === argmax(candidate, s * classes, classes)) agree++;
    }
    figures.top1Agreement = agree / samples;
  }
  return figures;
}

function argmax(a: Float32Array, off: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
  return best;
}
