/** Validation metrics for quantization: top-1 on labelled data, else top-1 agreement with the float model; output SNR. */
import type { FeedSource } from './calibration-data';
import { floatData, type RunContext } from './collect-stats';
import type { ModelRef } from './error-analysis';

/** Float outputs kept for the SNR comparison at most (bytes); past it only top-1 is compared. */
export const MAX_KEPT_OUTPUT_BYTES = 64 * 2 ** 20;

/** What one model predicted on the validation data. */
export interface Predictions {
  /** top-1 class per item (argmax over the last axis of the first output) */
  top1: Int32Array;
  labels: Array<number | null> | null;
  /** the first output's values per item, when small enough to keep */
  outputs: Float32Array[] | null;
}

/** A model's score on the validation data. */
export interface Score {
  /** `top1` (against labels) or `agreement` (top-1 equal to the float model's) */
  metric: 'top1' | 'agreement';
  /** percent */
  value: number;
  /** output SNR against the float model, dB (null when identical or not kept) */
  outputSnrDb: number | null;
  /** top-1 agreement with the float model, percent */
  agreement: number;
  /** the float model's top-1 within this model's top 5, percent (null when outputs were not kept) */
  top5Agreement?: number | null;
  /** cosine similarity of the outputs to the float model's (null when not kept) */
  cosine?: number | null;
  count: number;
}

/**
 * Runs a model over the validation data.
 * @param model - the model
 * @param source - validation data
 * @param keepOutputs - keep the first output per item (the float reference)
 */
export async function predict(model: ModelRef, source: FeedSource, ctx: RunContext, keepOutputs: boolean, what: string): Promise<Predictions> {
  const runner = await ctx.runtime.openTensorRunner(model.proto, model.external, { what, signal: ctx.signal });
  const top1: number[] = [];
  const labels: Array<number | null> = [];
  let outputs: Float32Array[] | null = keepOutputs ? [] : null;
  let kept = 0;
  try {
    const name = runner.outputs[0].name;
    for await (const batch of source.batches(ctx.signal)) {
      ctx.throwIfCancelled?.();
      const out = (await runner.run(batch.inputs, [name]))[name];
      const data = floatData(out);
      const per = batch.count > 0 ? data.length / batch.count : 0;
      const classes = out.dims.length ? out.dims[out.dims.length - 1] : 1;
      for (let i = 0; i < batch.count; i++) {
        const row = data.subarray(i * per, (i + 1) * per);
        top1.push(argmax(row, classes));
        if (outputs) {
          kept += row.byteLength;
          if (kept > MAX_KEPT_OUTPUT_BYTES) outputs = null;
          else outputs.push(Float32Array.from(row));
        }
      }
      if (batch.labels) labels.push(...batch.labels);
      else for (let i = 0; i < batch.count; i++) labels.push(null);
      ctx.progress(top1.length / source.count, `${what}: ${top1.length} of ${source.count} items`);
    }
  } finally {
    await runner.release();
  }
  ctx.throwIfCancelled?.();
  return { top1: Int32Array.from(top1), labels: labels.some((l) => l !== null) ? labels : null, outputs };
}

function argmax(row: Float32Array, classes: number): number {
  let best = 0;
  for (let k = 1; k < Math.min(classes, row.length); k++) if (row[k] > row[best]) best = k;
  return best;
}

/**
 * Scores predictions.
 * @param p - the model's predictions
 * @param reference - the float model's (agreement and SNR are measured against it)
 */
export function score(p: Predictions, reference: Predictions): Score {
  const n = p.top1.length;
  let agree = 0;
  for (let i = 0; i < n; i++) if (p.top1[i] === reference.top1[i]) agree++;
  const agreement = n ? (100 * agree) / n : 0;
  let outputSnrDb: number | null = null;
  let cosine: number | null = null;
  let top5Agreement: number | null = null;
  if (p.outputs && reference.outputs && p.outputs.length === reference.outputs.length) {
    let sig = 0;
    let err = 0;
    let q2 = 0;
    let dot = 0;
    let in5 = 0;
    reference.outputs.forEach((ref, i) => {
      const q = (p.outputs as Float32Array[])[i];
      for (let k = 0; k < ref.length; k++) {
        sig += ref[k] * ref[k];
        err += (q[k] - ref[k]) ** 2;
        q2 += q[k] * q[k];
        dot += q[k] * ref[k];
      }
      const want = q[reference.top1[i]];
      let above = 0;
      for (let k = 0; k < q.length && above < 5; k++) if (q[k] > want) above++;
      if (above < 5) in5++;
    });
    outputSnrDb = err === 0 ? null : 10 * Math.log10(sig / err);
    const d = Math.sqrt(sig * q2);
    cosine = d === 0 ? (sig === q2 ? 1 : 0) : dot / d;
    top5Agreement = n ? (100 * in5) / n : 0;
  }
  const labels = reference.labels;
  if (labels) {
    let correct = 0;
    let counted = 0;
    labels.forEach((l, i) => {
      if (l === null) return;
      counted++;
      if (p.top1[i] === l) correct++;
    });
    if (counted > 0) return { metric: 'top1', value: (100 * correct) / counted, outputSnrDb, agreement, top5Agreement, cosine, count: counted };
  }
  return { metric: 'agreement', value: agreement, outputSnrDb, agreement, top5Agreement, cosine, count: n };
}

/** How much a metric may fall: absolute percentage points, or percent of the float model's value. */
export interface MaxDrop {
  value: number;
  relative: boolean;
}

/** @returns how far `q` falls under `f`, in the units of `max` (points, or percent of `f`). */
export function dropOf(f: Score, q: Score, max: MaxDrop): number {
  const d = f.value - q.value;
  return max.relative ? (f.value > 0 ? (100 * d) / f.value : 0) : d;
}
