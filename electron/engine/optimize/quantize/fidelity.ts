/** The fidelity guard: which metric fits a model's output, the default thresholds, and whether a quantized model meets them. */
import { fidelityLine, fidelityUnit, type QuantFidelityDto } from '../../../../shared/api/quantize-api';
import type { Score } from './accuracy';

/**
 * A fidelity metric.
 * - `top1`: accuracy against labels (falls back to agreement without labels)
 * - `agreement`: top-1 equal to the float model's
 * - `top5`: the float model's top-1 within the quantized model's top 5
 * - `snr`: output signal-to-noise ratio against the float model, dB (cosine reported beside it)
 */
export type FidelityMetric = 'top1' | 'agreement' | 'top5' | 'snr';
export const FIDELITY_METRICS = ['auto', 'top1', 'agreement', 'top5', 'snr'] as const;
export type FidelityChoice = (typeof FIDELITY_METRICS)[number];

/** Default thresholds: SNR in dB for dense outputs, agreement in percent for class scores. */
export const DEFAULT_MIN_SNR_DB = 20;
export const DEFAULT_MIN_AGREEMENT = 97;
/** Largest last axis still read as class scores. */
const MAX_CLASSES = 100_000;

/** The metric chosen for a model and why. */
export interface FidelityPlan {
  metric: FidelityMetric;
  /** the lowest acceptable value (dB for `snr`, percent otherwise) */
  min: number;
  why: string;
}

/**
 * Chooses the metric from the first output's shape: a `[batch, classes]` tensor holds class scores (top-1 agreement);
 * anything with more axes (a map, a sequence) or a single value per item is compared as a signal (SNR and cosine).
 * @param dims - the first output's dims (symbolic ones as -1 or 0)
 * @param choice - `auto`, or the user's metric
 * @param thresholds - user thresholds, when given
 */
export function planFidelity(dims: readonly number[] | undefined, choice: FidelityChoice, thresholds: { minSnrDb?: number; minAgreement?: number } = {}): FidelityPlan {
  const minSnr = thresholds.minSnrDb ?? DEFAULT_MIN_SNR_DB;
  const minAgree = thresholds.minAgreement ?? DEFAULT_MIN_AGREEMENT;
  if (choice !== 'auto') {
    const why = `chosen by the user (--fidelity-metric ${choice})`;
    return choice === 'snr' ? { metric: 'snr', min: minSnr, why } : { metric: choice, min: minAgree, why };
  }
  const shape = dims ? `[${dims.map((d) => (d > 0 ? d : '?')).join(', ')}]` : 'of unknown shape';
  const classes = dims && dims.length === 2 ? dims[1] : 0;
  if (dims && dims.length === 2 && classes >= 2 && classes <= MAX_CLASSES) {
    return { metric: 'agreement', min: minAgree, why: `the first output ${shape} holds ${classes} class scores per item` };
  }
  const what = !dims ? 'its shape is unknown' : dims.length > 2 ? 'a dense map or sequence' : 'not class scores';
  return { metric: 'snr', min: minSnr, why: `the first output ${shape} is ${what}: compared as a signal (SNR, cosine)` };
}

/** @returns the value of a score in the plan's metric (an identical output counts as an infinite SNR). */
export function fidelityValue(s: Score, metric: FidelityMetric): number {
  // no SNR and no cosine: the outputs were not kept, so nothing was measured (never a pass)
  if (metric === 'snr') return s.outputSnrDb ?? (s.cosine === null || s.cosine === undefined ? -Infinity : Infinity);
  if (metric === 'top5') return s.top5Agreement ?? s.agreement;
  if (metric === 'top1') return s.metric === 'top1' ? s.value : s.agreement;
  return s.agreement;
}

/** @returns how far a score falls under the plan's minimum (0 or less: met). */
export function shortfall(s: Score, plan: FidelityPlan): number {
  const v = fidelityValue(s, plan.metric);
  return v === Infinity ? -Infinity : v === -Infinity ? Infinity : plan.min - v;
}

/** The fidelity part of a report. */
export type FidelityReport = QuantFidelityDto;
export { fidelityLine, fidelityUnit as unitOf };
