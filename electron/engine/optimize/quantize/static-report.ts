/** The static int8 pass report: what was quantized, kept in float and why, the error table, sizes, target estimate. */
import type { ModelProto } from '../../onnx/proto';
import type { PassContext } from '../pass';
import type { Score, MaxDrop } from './accuracy';
import type { AwareStep, KeptFloat } from './accuracy-aware';
import type { FeedSource } from './calibration-data';
import type { ErrorRow } from './error-analysis';
import type { FidelityReport } from './fidelity';
import { estimateInt8Gain, type TargetEstimate } from './int8-estimate';
import { weightBytes, type WeightBytes } from './pass-common';
import type { PreparedModel, StaticQuantOptions, StaticResult } from './static-quantizer';
import { hasInt8DotProduct, type QuantDefaults } from './target-defaults';
import { detectCpu } from '../../runtime/cpu-info';
import type { TargetProfile } from '../../../../shared/targets/profile-schema';

/** The accuracy-aware part of the report. */
export interface AccuracyReport {
  met: boolean;
  keptFloat: KeptFloat[];
  steps: AwareStep[];
  floatScore: Score;
  finalScore: Score;
  evalData: string;
  maxDrop: MaxDrop;
}

/** @returns per node, the lowest SNR of the tensors it produces (the graph overlay's values). */
export function nodeErrors(rows: readonly ErrorRow[], extra: ReadonlyArray<{ node: string; tensor: string }> = []): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const put = (node: string, snr: number | null) => {
    const prev = out[node];
    if (prev === undefined || (snr !== null && (prev === null || snr < prev))) out[node] = snr;
  };
  for (const r of rows) put(r.node, r.snrDb);
  const byTensor = new Map(rows.map((r) => [r.tensor, r.snrDb]));
  for (const e of extra) if (byTensor.has(e.tensor)) put(e.node, byTensor.get(e.tensor) ?? null);
  return out;
}

/** @returns the rows rounded for the report (SNR to 0.01 dB), with each node's isolated SNR where there is one. */
export function tableRows(rows: readonly ErrorRow[], isolated: readonly ErrorRow[] = []) {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const local = new Map(isolated.map((r) => [r.tensor, r.snrDb]));
  const db = (x: number | null | undefined) => (x === null || x === undefined ? null : Number.isFinite(x) ? r2(x) : -999);
  return rows.map((r) => ({
    tensor: r.tensor,
    node: r.node,
    op: r.op,
    kind: r.kind,
    snrDb: db(r.snrDb),
    ...(local.has(r.tensor) ? { localSnrDb: db(local.get(r.tensor)) } : {}),
    cosine: Math.round(r.cosine * 1e5) / 1e5,
    maxAbs: Number(r.maxAbs.toPrecision(4)),
  }));
}

export interface StaticReportInput {
  ctx: PassContext;
  options: StaticQuantOptions;
  defaults: QuantDefaults & { profile?: TargetProfile };
  source: FeedSource;
  prepared: PreparedModel;
  floatBytes: WeightBytes;
  rows: ErrorRow[];
  /** each quantized node's error on float inputs */
  isolated: ErrorRow[];
  kept: KeptFloat[];
  accuracy?: AccuracyReport;
  /** the fidelity guard's result (absent when it was switched off or the accuracy-aware mode ran) */
  fidelity?: FidelityReport;
  /** a quantized copy equal to the final model (for the target estimate, made before the in-place run) */
  preview: StaticResult;
  /** quantizes the prepared model in place: the model the pass returns */
  finalize(): StaticResult;
}

/** Builds the report and the final model. */
export async function buildStaticReport(i: StaticReportInput): Promise<{ proto: ModelProto; report: Record<string, unknown> }> {
  let estimate: TargetEstimate | undefined;
  if (i.defaults.profile) {
    const beyondHost = hasInt8DotProduct(i.defaults.profile.hardware.simd ?? []) && !hasInt8DotProduct(detectCpu().simd);
    estimate = estimateInt8Gain(i.defaults.profile, i.prepared, i.preview, beyondHost);
  }
  const final = i.finalize();
  const after = weightBytes(final.proto, final.external);
  const plan = final.plan;
  const quantizedOps: Record<string, number> = {};
  let compute = 0;
  for (const [n, k] of plan.kinds) {
    quantizedOps[n.opType] = (quantizedOps[n.opType] ?? 0) + 1;
    if (k !== 'same') compute++;
  }
  const excluded = plan.skipped.filter((s) => s.reason === 'excluded' && !i.kept.some((k) => k.node === s.node));
  const keptFloat: KeptFloat[] = [...excluded.map((s) => ({ node: s.node, op: s.op, reason: 'excluded by the user' })), ...i.kept];
  const outputs = i.rows.filter((r) => r.kind === 'output');
  const outputSnr = outputs.length ? Math.min(...outputs.map((r) => r.snrDb ?? Infinity)) : null;
  // a folded Relu's error belongs to the node it was folded into as well
  const folded = plan.folded.map((f) => ({ node: i.prepared.producerOf(f.tensor)?.name ?? f.node, tensor: plan.statsName.get(f.tensor) ?? f.tensor }));
  const report: Record<string, unknown> = {
    mode: 'static',
    format: i.options.format,
    perChannel: i.options.perChannel,
    fusedOnly: Boolean(i.options.fusedOnly),
    symmetricActivations: i.options.symmetric,
    reduceRange: i.options.reduceRange,
    method: i.options.method,
    ...(i.options.method === 'percentile' ? { percentile: i.options.percentile } : {}),
    defaultsFrom: i.defaults.source,
    reduceRangeReason: i.defaults.reduceRangeReason,
    calibration: i.source.description,
    calibrationItems: i.source.count,
    randomCalibration: i.source.random,
    quantizedNodeCount: compute,
    passThroughNodeCount: plan.nodes.length - compute,
    foldedActivations: plan.folded.length,
    foldedBatchNorms: i.prepared.prep.foldedBatchNorms,
    keptFloatCount: keptFloat.length,
    weightBytesBefore: i.floatBytes.total,
    weightBytesAfter: after.total,
    outputSnrDb: outputSnr === null || !Number.isFinite(outputSnr) ? null : Math.round(outputSnr * 100) / 100,
    quantizedOps,
    keptFloat,
    skipped: plan.skipped.filter((s) => s.reason !== 'excluded'),
    errorTable: tableRows(i.rows, i.isolated),
    nodeErrors: nodeErrors(i.rows, folded),
    ...(i.accuracy
      ? {
          accuracy: {
            metric: i.accuracy.floatScore.metric,
            evalData: i.accuracy.evalData,
            float: i.accuracy.floatScore.value,
            quantized: i.accuracy.finalScore.value,
            outputSnrDb: i.accuracy.finalScore.outputSnrDb,
            agreement: i.accuracy.finalScore.agreement,
            maxDrop: i.accuracy.maxDrop.value,
            relative: i.accuracy.maxDrop.relative,
            met: i.accuracy.met,
            steps: i.accuracy.steps,
          },
        }
      : {}),
    ...(i.fidelity ? { fidelity: i.fidelity } : {}),
    status: (i.fidelity && !i.fidelity.met) || (i.accuracy && !i.accuracy.met) ? 'below-threshold' : 'ok',
    ...(estimate ? { targetEstimate: estimate } : {}),
  };
  return { proto: final.proto, report };
}
