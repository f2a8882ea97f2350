/** The fidelity guard run after static quantization: measure with the metric that fits the output, revert nodes to float until it holds. */
import type { ModelProto } from '../../onnx/proto';
import { predict, type Predictions } from './accuracy';
import { accuracyAware, type AwareResult, type RankedNode } from './accuracy-aware';
import type { FeedSource } from './calibration-data';
import type { RunContext } from './collect-stats';
import { fidelityValue, shortfall, type FidelityPlan, type FidelityReport } from './fidelity';
import type { PreparedModel, StaticResult } from './static-quantizer';

/** @returns the first graph output's dims (unknown or symbolic dims as -1), or undefined without a declared shape. */
export function firstOutputDims(proto: ModelProto): number[] | undefined {
  const out = proto.graph?.output[0];
  const t = out?.type?.value;
  if (!t || t.case !== 'tensorType' || !t.value.shape) return undefined;
  return t.value.shape.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : -1));
}

export interface GuardInput {
  prepared: PreparedModel;
  quantize(keepFloat: ReadonlySet<string>): StaticResult;
  /** the ranking of nodes by the error they cause (made on demand: it needs the error tables) */
  ranking(): Promise<readonly RankedNode[]>;
  source: FeedSource;
  plan: FidelityPlan;
  /** revert nodes to float when under the minimum (off: measure and report only) */
  revert: boolean;
  maxReverts: number;
  ctx: RunContext;
}

/** What the guard did. */
export interface GuardResult {
  result: StaticResult;
  aware: AwareResult<StaticResult>;
  reference: Predictions;
  fidelity: FidelityReport;
}

/**
 * Evaluates the quantized model against the float one and, when it falls under the plan's minimum, keeps the most
 * sensitive nodes in float (the accuracy-aware loop with the plan's metric) until it is met or the ranking runs out.
 */
export async function guardFidelity(g: GuardInput): Promise<GuardResult> {
  const reference = await predict(g.prepared, g.source, g.ctx, true, 'float model');
  const probe = await accuracyAware({ quantize: g.quantize, ranking: [], source: g.source, reference, goal: g.plan, maxReverts: 0, ctx: g.ctx });
  let aware = probe;
  let ranking: readonly RankedNode[] = [];
  if (!probe.met && g.revert) {
    ranking = await g.ranking();
    g.ctx.log(`fidelity guard: ${g.plan.metric} under ${g.plan.min}; reverting up to ${Math.min(g.maxReverts, ranking.length)} node(s) to float`);
    aware = await accuracyAware({ quantize: g.quantize, ranking, source: g.source, reference, goal: g.plan, maxReverts: g.maxReverts, ctx: g.ctx });
  }
  const s = aware.finalScore;
  const value = fidelityValue(s, g.plan.metric);
  const kept = aware.keptFloat.map((k) => k.node);
  let fallback: string | undefined;
  if (!aware.met) {
    const untried = ranking.map((r) => r.node).filter((n) => !kept.includes(n));
    fallback = !g.revert
      ? 'Nothing was reverted (the guard had no real data). Give calibration or --eval data so it can keep sensitive nodes in float, or deploy the float model.'
      : `With ${kept.length} node(s) kept in float it still falls short. The float model is the fallback that meets it` +
        (untried.length ? `; or keep more nodes in float (next by error: ${untried.slice(0, 5).join(', ')}; raise --max-reverts).` : '.');
  }
  const fidelity: FidelityReport = {
    metric: g.plan.metric,
    why: g.plan.why,
    min: g.plan.min,
    value: Number.isFinite(value) ? Math.round(value * 100) / 100 : null,
    outputSnrDb: s.outputSnrDb === null ? null : Math.round(s.outputSnrDb * 100) / 100,
    cosine: s.cosine ?? null,
    agreement: s.agreement,
    ...(s.metric === 'top1' ? { top1: { float: aware.floatScore.value, quantized: s.value } } : {}),
    count: s.count,
    evalData: g.source.description,
    met: aware.met && shortfall(s, g.plan) <= 0,
    status: aware.met ? 'ok' : 'below-threshold',
    keptFloat: kept,
    ...(fallback ? { fallback } : {}),
  };
  return { result: aware.result, aware, reference, fidelity };
}
