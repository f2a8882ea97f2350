/** The static int8 pass's work: defaults, calibration, quantization, error analysis, accuracy-aware mode, report. */
import { StudioError } from '../../../../shared/api/errors';
import type { InputSpec } from '../../../../shared/api/input-spec';
import { aiOnnxOpset, upgradeOpset } from './opset-upgrade';
import type { PassContext, PassInput, PassOutput } from '../pass';
import { accuracyAware, rankNodes, type KeptFloat } from './accuracy-aware';
import { MAX_KEPT_OUTPUT_BYTES, predict } from './accuracy';
import { DEFAULT_BATCH, limitSource, openFeedSource, type FeedSource } from './calibration-data';
import { calibrationTensors, collectStats, FETCH_BUDGET_BYTES, fetchGroups } from './collect-stats';
import { analyzeError, type ComparePair, type ErrorRow } from './error-analysis';
import { buildIsolationProbe } from './isolation-probe';
import { ModelIR } from '../../onnx/ir/model-ir';
import { WeightReader } from './graph-prep';
import { DEFAULT_STATIC_OPS, WEIGHTED_OPS } from './op-rules';
import { nothingToQuantize, resolveDataPath, runContext, weightBytes, type Int8PassCommonOptions } from './pass-common';
import type { CalibrationMethod } from './range-methods';
import { buildStaticReport, type AccuracyReport } from './static-report';
import { dryPlan, prepareModel, quantizeStatic, type PreparedModel, type StaticQuantOptions, type StaticResult } from './static-quantizer';
import { isX86 } from '../../../../shared/targets/int8-formats';
import { quantDefaults, type QuantFormat } from './target-defaults';
import { fidelityLine, planFidelity, type FidelityChoice, type FidelityReport } from './fidelity';
import { firstOutputDims, guardFidelity } from './fidelity-guard';

/** The static pass's options after zod (see `passes/quantize-static.ts`). */
export interface StaticPassOptions extends Int8PassCommonOptions {
  format?: QuantFormat;
  perChannel?: boolean;
  symmetric: boolean;
  reduceRange?: boolean;
  method?: CalibrationMethod;
  percentile: number;
  fusedOnly?: boolean;
  /** the fidelity guard's metric (`auto`: from the output's shape) and thresholds; `guard: false` skips it */
  fidelityMetric?: FidelityChoice;
  minSnrDb?: number;
  minAgreement?: number;
  guard?: boolean;
  /** items the guard evaluates at most (of --eval data, else of the calibration data) */
  guardItems?: number;
}

/** Each quantized compute node with the float tensor standing for its output (for the sensitivity ranking). */
function rankInputs(r: StaticResult): Array<{ node: string; op: string; output: string }> {
  return [...r.plan.kinds].filter(([, k]) => k !== 'same').map(([n]) => ({ node: n.name, op: n.opType, output: r.plan.statsName.get(n.output[0]) ?? n.output[0] }));
}

/** The error tables of a quantization: accumulated (float vs quantized model) and isolated (each node on float inputs). */
async function errorTables(prepared: PreparedModel, r: StaticResult, source: FeedSource, ctx: PassContext, from: number, to: number): Promise<{ rows: ErrorRow[]; isolated: ErrorRow[] }> {
  const mid = from + (to - from) * 0.6;
  const rows = await analyzeError(prepared, r, comparePairs(r, prepared), source, runContext(ctx, from, mid));
  const { probe, pairs } = buildIsolationProbe(prepared, r);
  const isolated = await analyzeError(probe, probe, pairs, source, runContext(ctx, mid, to));
  return { rows, isolated };
}

/** The tensors the error table compares: every quantized activation read through a DequantizeLinear, and the outputs. */
function comparePairs(r: StaticResult, prepared: PreparedModel): ComparePair[] {
  const pairs: ComparePair[] = [];
  for (const t of r.plan.tensors) {
    const dq = r.emitted.dequantized.get(t);
    if (!dq) continue;
    const floatName = r.plan.statsName.get(t) ?? t;
    const p = prepared.producerOf(floatName);
    pairs.push({ tensor: floatName, quantName: dq, node: p?.name ?? '(input)', op: p?.op ?? 'input', kind: 'activation' });
  }
  for (const o of prepared.proto.graph?.output ?? []) {
    const p = prepared.producerOf(o.name);
    pairs.push({ tensor: o.name, quantName: o.name, node: p?.name ?? o.name, op: p?.op ?? 'output', kind: 'output' });
  }
  return pairs;
}

/**
 * Runs static quantization.
 * @param input - the pass input (edited in place)
 * @param o - parsed options
 * @param ctx - progress, cancel, engine, target
 */
export async function runStatic(input: PassInput, o: StaticPassOptions, ctx: PassContext): Promise<PassOutput> {
  const warnings: string[] = [];
  const defaults = await quantDefaults(ctx.profiles, ctx.targetId);
  const format = o.format ?? defaults.format;
  const perChannel = o.perChannel ?? defaults.perChannel;
  // per-channel QuantizeLinear needs opset 13, per-tensor 10: old exports are converted first, as onnxruntime's quantizer does
  const upgraded = upgradeOpset(input, perChannel ? 13 : 10, perChannel ? 'per-channel QuantizeLinear' : 'QuantizeLinear', warnings);
  if (aiOnnxOpset(input) < (perChannel ? 13 : 10)) {
    throw new StudioError('UNSUPPORTED_OP', `The model imports no ai.onnx opset: static int8 needs QuantizeLinear (opset 10 or newer). Check the model's opset_import.`);
  }
  const options: StaticQuantOptions = {
    format,
    perChannel,
    symmetric: o.symmetric,
    reduceRange: o.reduceRange ?? (format === 'u8s8' && defaults.reduceRange),
    method: o.method ?? defaults.method,
    percentile: o.percentile,
    includeOps: o.includeOps ?? DEFAULT_STATIC_OPS,
    exclude: o.exclude,
    fusedOnly: o.fusedOnly ?? defaults.fusedOnly,
  };
  if (format === 's8s8' && defaults.format === 'u8s8' && isX86(defaults.simd)) {
    warnings.push(
      'S8S8 on an x86 CPU: onnxruntime turns int8 activations into uint8 only where a tensor has a single reader, so ' +
        'convolutions after a branch stay in float, with or without VNNI. U8S8 is the faster format here.',
    );
  }
  ctx.progress(0.01, 'preparing the model');
  const floatBytes = weightBytes(input.proto, input.external);
  const prepared = prepareModel(input.proto, input.external);
  const dry = dryPlan(prepared, options);
  const weighted = [...dry.kinds.keys()].filter((n) => WEIGHTED_OPS.includes(n.opType)).length;
  if (weighted === 0) {
    throw nothingToQuantize('static int8', prepared.proto, ['Conv', 'Gemm', 'MatMul'], dry.skipped.map((s) => `${s.node} (${s.op}): ${s.reason}`));
  }
  const ir = new ModelIR(prepared.proto);
  const reader = new WeightReader(ir.graph, prepared.external);
  const tensors = calibrationTensors(ir.graph, prepared.dtypeOf, (n) => reader.isConstant(n));
  const perItem = tensors.reduce((n, t) => n + prepared.elementsPerItem(t) * 4, 0);
  const batch = Math.max(1, Math.min(DEFAULT_BATCH, Math.floor(FETCH_BUDGET_BYTES / Math.max(1, perItem))));
  const calPath = o.calibration ? resolveDataPath(o.calibration, input.sourceDir) : undefined;
  const source = openFeedSource(prepared.proto, { path: calPath, limit: o.calibrationLimit, batchSize: batch, configDirs: input.configDirs ?? [input.sourceDir], randomCount: 32, inputSpec: ctx.inputSpec });
  if (source.random) {
    warnings.push('Calibrated on random data: activation ranges may not match real inputs and accuracy may suffer. Give calibration data (a dataset folder) for a model you will deploy.');
  }
  ctx.job.log(`calibrating ${tensors.length} tensors on ${source.description} (${options.method})`);
  const stats = await collectStats(prepared.proto, prepared.external, source, fetchGroups(tensors, prepared.elementsPerItem, batch), options.method !== 'minmax', runContext(ctx, 0.05, 0.55));
  const bad = [...stats].filter(([, s]) => s.nonFinite > 0).map(([n]) => n);
  if (bad.length) warnings.push(`NaN or infinite values were seen in ${bad.length} tensor(s) during calibration (e.g. "${bad[0]}"); they were left out of the ranges.`);

  ctx.progress(0.56, 'quantizing');
  let keep = new Set<string>();
  let result = quantizeStatic(prepared, stats, options);
  let tables: { rows: ErrorRow[]; isolated: ErrorRow[] } = { rows: [], isolated: [] };
  const errorSource = limitSource(source, Math.max(o.errorItems, o.maxDrop !== undefined ? 16 : 0));
  if (errorSource.count > 0 && (o.errorItems > 0 || o.maxDrop !== undefined)) tables = await errorTables(prepared, result, errorSource, ctx, 0.6, 0.72);
  let accuracy: AccuracyReport | undefined;
  let kept: KeptFloat[] = [];
  let fidelity: FidelityReport | undefined;
  const plan = planFidelity(firstOutputDims(prepared.proto), o.fidelityMetric ?? 'auto', { minSnrDb: o.minSnrDb, minAgreement: o.minAgreement });
  // top-1 drop means nothing for a dense map or a sequence: there the accuracy-aware mode works to the SNR minimum
  const classAware = o.maxDrop !== undefined && plan.metric !== 'snr';
  if (o.maxDrop !== undefined && !classAware) {
    warnings.push(`--max-drop is a top-1 limit, but ${plan.why}; the accuracy-aware mode keeps nodes in float until the output SNR reaches ${plan.min} dB instead.`);
  }
  if (classAware) {
    const evalSource = openEval(prepared, o, input.sourceDir, calPath, batch, warnings, ctx.inputSpec, input.configDirs);
    const rc = runContext(ctx, 0.72, 0.96);
    const reference = await predict(prepared, evalSource, rc, true, 'float model');
    const maxDrop = { value: o.maxDrop as number, relative: o.maxDropRelative };
    const aware = await accuracyAware({
      quantize: (k) => quantizeStatic(prepared, stats, options, k),
      ranking: rankNodes(tables.rows, tables.isolated, rankInputs(result)),
      source: evalSource,
      reference,
      maxDrop,
      maxReverts: o.maxReverts,
      ctx: rc,
    });
    kept = aware.keptFloat;
    keep = new Set(kept.map((k) => k.node));
    accuracy = { ...aware, evalData: evalSource.description, maxDrop };
    if (!aware.met) {
      warnings.push(
        `The accuracy target was not met: ${aware.finalScore.metric} dropped ${(aware.floatScore.value - aware.finalScore.value).toFixed(2)} points ` +
          `with ${kept.length} node(s) kept in float (limit ${o.maxDrop}${o.maxDropRelative ? ' %' : ' points'}). Raise --max-reverts or the margin, or calibrate on more representative data.`,
      );
    }
    result = aware.result;
  } else if (o.guard !== false) {
    const real = Boolean(o.eval && o.eval !== 'random') || !source.random;
    // the SNR needs every output kept: dense outputs are large (and their symbolic sizes unknown here), so 32 items at most
    const outName = prepared.proto.graph?.output[0]?.name ?? '';
    const fit = Math.max(1, Math.min(32, Math.floor(MAX_KEPT_OUTPUT_BYTES / (4 * prepared.elementsPerItem(outName)))));
    const base = o.eval && o.eval !== 'random' ? openEval(prepared, o, input.sourceDir, calPath, batch, [], ctx.inputSpec, input.configDirs) : limitSource(source, o.guardItems ?? 128);
    const guardSource = plan.metric === 'snr' ? limitSource(base, fit) : base;
    const first = result;
    const g = await guardFidelity({
      prepared,
      quantize: (k) => quantizeStatic(prepared, stats, options, k),
      ranking: async () => {
        if (!tables.rows.length) tables = await errorTables(prepared, first, limitSource(source, 16), ctx, 0.74, 0.78);
        return rankNodes(tables.rows, tables.isolated, rankInputs(first));
      },
      source: guardSource,
      plan,
      revert: real,
      maxReverts: o.maxReverts,
      ctx: runContext(ctx, 0.72, 0.96),
    });
    fidelity = g.fidelity;
    kept = g.aware.keptFloat;
    keep = new Set(kept.map((k) => k.node));
    result = g.result;
    if (!fidelity.met) warnings.push(`${fidelityLine(fidelity)}. ${fidelity.fallback ?? ''}`.trim());
  }
  if (kept.length && o.errorItems > 0) tables = await errorTables(prepared, result, errorSource, ctx, 0.96, 0.98);
  if (o.errorItems === 0) tables = { rows: [], isolated: [] };
  ctx.progress(0.98, 'writing the quantized graph');
  const { proto, report } = await buildStaticReport({
    ctx,
    options,
    defaults,
    source,
    prepared,
    floatBytes,
    rows: tables.rows,
    isolated: tables.isolated,
    kept,
    accuracy,
    fidelity,
    preview: result,
    finalize: () => quantizeStatic(prepared, stats, options, keep, true),
  });
  return { proto, report: { ...report, opsetUpgrade: upgraded }, warnings };
}

function openEval(prepared: PreparedModel, o: StaticPassOptions, sourceDir: string, calPath: string | undefined, batch: number, warnings: string[], inputSpec?: InputSpec, configDirs: string[] = [sourceDir]): FeedSource {
  if (o.eval === 'random' || (!o.eval && !calPath)) {
    warnings.push('Accuracy-aware mode evaluated on random inputs: the metric is top-1 agreement with the float model, not accuracy on real data.');
    return openFeedSource(prepared.proto, { batchSize: batch, configDirs: [sourceDir], randomCount: Math.min(o.evalLimit, 200), seed: 987654, inputSpec });
  }
  const evalPath = o.eval ? resolveDataPath(o.eval, sourceDir) : (calPath as string);
  if (evalPath === calPath) warnings.push('Accuracy-aware mode evaluated on the calibration data: give separate validation data (--eval) for an unbiased figure.');
  return openFeedSource(prepared.proto, { path: evalPath, limit: o.evalLimit, batchSize: Math.max(batch, 1), configDirs });
}
