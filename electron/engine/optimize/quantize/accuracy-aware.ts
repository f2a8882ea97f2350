/** Accuracy-aware quantization: keep the most sensitive nodes in float, one at a time, until the metric drop is met. */
import type { FeedSource } from './calibration-data';
import type { RunContext } from './collect-stats';
import type { ErrorRow, ModelRef } from './error-analysis';
import { dropOf, predict, score, type MaxDrop, type Predictions, type Score } from './accuracy';
import { fidelityValue, shortfall, unitOf, type FidelityPlan } from './fidelity';

/** A quantized node and the share of the model's output error put down to it. */
export interface RankedNode {
  node: string;
  op: string;
  /** estimated noise-to-signal ratio its own error adds at the model output */
  impact: number;
  /** SNR of its output when it alone is quantized (fed float inputs), dB */
  localSnrDb: number | null;
}

/** A node kept in float and why. */
export interface KeptFloat {
  node: string;
  op: string;
  reason: string;
}

/** One evaluation of the loop. */
export interface AwareStep {
  /** nodes in float while evaluating */
  keptFloat: number;
  /** the node tried in float at this step (null for the first evaluation) */
  tried: string | null;
  /** whether the try was kept (it helped) or undone */
  kept: boolean;
  metric: number;
  drop: number;
  outputSnrDb: number | null;
}

export interface AwareResult<R extends ModelRef> {
  result: R;
  met: boolean;
  keptFloat: KeptFloat[];
  steps: AwareStep[];
  floatScore: Score;
  finalScore: Score;
}

const noise = (snr: number | null) => (snr === null ? 0 : 10 ** (-snr / 10));

/**
 * Ranks quantized nodes by the error they cause at the model output: the error a node introduces on its own (isolated:
 * fed float inputs) times how much the error present at its output grows by the model output.
 * @param accumulated - the error table (float vs fully quantized model), by float tensor name
 * @param isolated - per node, its isolated output error (rows keyed by node)
 * @param outputs - names of the model outputs in the table
 */
export function rankNodes(accumulated: readonly ErrorRow[], isolated: readonly ErrorRow[], nodes: ReadonlyArray<{ node: string; op: string; output: string }>): RankedNode[] {
  const acc = new Map(accumulated.map((r) => [r.tensor, noise(r.snrDb)]));
  const out = Math.max(0, ...accumulated.filter((r) => r.kind === 'output').map((r) => noise(r.snrDb)));
  const local = new Map(isolated.map((r) => [r.node, r.snrDb]));
  const ranked: RankedNode[] = [];
  for (const n of nodes) {
    if (!local.has(n.node)) continue;
    const own = noise(local.get(n.node) ?? null);
    const here = acc.get(n.output) ?? own;
    const growth = here > 0 && out > 0 ? Math.max(1, out / here) : 1;
    ranked.push({ node: n.node, op: n.op, impact: own * growth, localSnrDb: local.get(n.node) ?? null });
  }
  return ranked.sort((a, b) => b.impact - a.impact);
}

export interface AwareOptions<R extends ModelRef> {
  /** quantizes with these node names kept in float */
  quantize(keepFloat: ReadonlySet<string>): R;
  ranking: readonly RankedNode[];
  source: FeedSource;
  reference: Predictions;
  /** the goal: a largest drop of the metric against the float model, or a fidelity minimum (the guard) */
  maxDrop?: MaxDrop;
  goal?: FidelityPlan;
  /** nodes reverted at most */
  maxReverts: number;
  ctx: RunContext;
}

/**
 * Quantizes, evaluates, and keeps reverting the next most sensitive node to float until the drop is within the limit,
 * the ranking is exhausted or `maxReverts` is reached.
 * @returns the last model made (the one meeting the limit, or the best effort) and the history
 */
export async function accuracyAware<R extends ModelRef>(o: AwareOptions<R>): Promise<AwareResult<R>> {
  const floatScore = score(o.reference, o.reference);
  const keep = new Set<string>();
  const kept: KeptFloat[] = [];
  const steps: AwareStep[] = [];
  const tries = Math.min(o.maxReverts, o.ranking.length);
  // drop: what the steps show (the metric's drop, or the shortfall under the goal); gap: > 0 while the goal is not met
  const judge = (s: Score) => {
    if (o.goal) {
      const g = shortfall(s, o.goal);
      return { drop: Number.isFinite(g) ? g : 0, gap: g };
    }
    const drop = dropOf(floatScore, s, o.maxDrop ?? { value: 0, relative: false });
    return { drop, gap: drop - (o.maxDrop?.value ?? 0) };
  };
  const evaluate = async (r: R, i: number) => {
    const preds = await predict(r, o.source, { ...o.ctx, progress: (f, s) => o.ctx.progress((i + f) / (tries + 1), s) }, true, 'evaluating');
    const s = score(preds, o.reference);
    return { s, ...judge(s) };
  };
  const first = o.quantize(keep);
  let best = { result: first, ...(await evaluate(first, 0)) };
  steps.push({ keptFloat: 0, tried: null, kept: false, metric: best.s.value, drop: best.drop, outputSnrDb: best.s.outputSnrDb });
  for (let i = 0; i < tries && best.gap > 0; i++) {
    o.ctx.throwIfCancelled?.();
    const next = o.ranking[i];
    keep.add(next.node);
    o.ctx.log(`accuracy-aware: trying ${next.node} in float (${keep.size} in float)`);
    const result = o.quantize(keep);
    const e = await evaluate(result, i + 1);
    // keep the node in float only when that helps: the metric rises, or it holds and the output error falls
    const snrGain = (e.s.outputSnrDb ?? Infinity) - (best.s.outputSnrDb ?? Infinity);
    // an SNR goal moves with every node: only a gain of 0.05 dB or more counts
    const step = o.goal?.metric === 'snr' ? 0.05 : 0;
    const helps = e.gap < best.gap - step || (e.gap === best.gap && snrGain > 0.05);
    steps.push({ keptFloat: keep.size, tried: next.node, kept: helps, metric: e.s.value, drop: e.drop, outputSnrDb: e.s.outputSnrDb });
    if (!helps) {
      keep.delete(next.node);
      continue;
    }
    const local = next.localSnrDb === null ? 'exact' : `${next.localSnrDb.toFixed(1)} dB`;
    const [metric, unit, from, to] = o.goal
      ? [o.goal.metric, unitOf(o.goal.metric), fidelityValue(best.s, o.goal.metric), fidelityValue(e.s, o.goal.metric)]
      : [e.s.metric, '%', best.s.value, e.s.value];
    kept.push({
      node: next.node,
      op: next.op,
      reason: `ranked #${i + 1} by the error it causes at the output (its own SNR ${local}); in float, ${metric} went ${from.toFixed(2)} → ${to.toFixed(2)} ${unit}`,
    });
    best = { result, ...e };
  }
  return { result: best.result, met: best.gap <= 0, keptFloat: kept, steps, floatScore, finalScore: best.s };
}
