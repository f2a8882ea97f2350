/** The dynamic int8 pass's work: defaults, quantization, error analysis, accuracy-aware mode, report. */
import type { InputSpec } from '../../../../shared/api/input-spec';
import { upgradeOpset } from './opset-upgrade';
import type { PassContext, PassInput, PassOutput } from '../pass';
import { accuracyAware, rankNodes, type KeptFloat } from './accuracy-aware';
import { predict } from './accuracy';
import { limitSource, openFeedSource, type FeedSource } from './calibration-data';
import { quantizeDynamic, type DynamicOptions, type DynamicResult } from './dynamic-quantizer';
import { analyzeError, type ComparePair, type ErrorRow } from './error-analysis';
import { nothingToQuantize, resolveDataPath, runContext, weightBytes, type Int8PassCommonOptions } from './pass-common';
import { nodeErrors } from './static-report';
import { prepareModel, type PreparedModel } from './static-quantizer';
import { quantDefaults } from './target-defaults';

/** The dynamic pass's options after zod (see `passes/quantize-dynamic.ts`). */
export interface DynamicPassOptions extends Int8PassCommonOptions {
  perChannel: boolean;
  reduceRange?: boolean;
  weightType: 'int8' | 'uint8';
}

function pairs(r: DynamicResult, prepared: PreparedModel): ComparePair[] {
  // tensors inside subgraphs cannot be model outputs, so only main-graph nodes are compared
  const out: ComparePair[] = r.nodes.filter((n) => n.subgraph === undefined).map((n) => ({ tensor: n.output, quantName: n.output, node: n.node, op: n.op, kind: 'activation' }));
  for (const o of prepared.proto.graph?.output ?? []) {
    const p = prepared.producerOf(o.name);
    if (!out.some((x) => x.tensor === o.name)) out.push({ tensor: o.name, quantName: o.name, node: p?.name ?? o.name, op: p?.op ?? 'output', kind: 'output' });
    else (out.find((x) => x.tensor === o.name) as ComparePair).kind = 'output';
  }
  return out;
}

function source(prepared: PreparedModel, path: string | undefined, limit: number, sourceDir: string, seed: number, inputSpec: InputSpec | undefined, configDirs: string[] = [sourceDir]): FeedSource {
  return openFeedSource(prepared.proto, { path, limit, batchSize: 8, configDirs, randomCount: Math.min(limit, 32), seed, inputSpec });
}

/**
 * Runs dynamic quantization.
 * @param input - the pass input (edited in place)
 */
export async function runDynamic(input: PassInput, o: DynamicPassOptions, ctx: PassContext): Promise<PassOutput> {
  const warnings: string[] = [];
  const defaults = await quantDefaults(ctx.profiles, ctx.targetId);
  const options: DynamicOptions = {
    perChannel: o.perChannel,
    reduceRange: o.reduceRange ?? (o.weightType === 'int8' && defaults.reduceRange),
    weightType: o.weightType,
    includeOps: o.includeOps ?? ['MatMul', 'Gemm'],
    exclude: o.exclude,
  };
  // DynamicQuantizeLinear needs opset 11: old exports are converted first, as onnxruntime's quantizer does
  const upgraded = upgradeOpset(input, 11, 'DynamicQuantizeLinear', warnings);
  ctx.progress(0.02, 'preparing the model');
  const floatBytes = weightBytes(input.proto, input.external);
  const prepared = prepareModel(input.proto, input.external);
  let result = quantizeDynamic(prepared, options);
  if (result.nodes.length === 0) {
    throw nothingToQuantize('dynamic int8', prepared.proto, options.includeOps, result.skipped.map((s) => `${s.node} (${s.op}): ${s.reason}`));
  }
  const calPath = o.calibration ? resolveDataPath(o.calibration, input.sourceDir) : undefined;
  const data = limitSource(source(prepared, calPath, o.calibrationLimit, input.sourceDir, 1234, ctx.inputSpec, input.configDirs), Math.max(o.errorItems, o.maxDrop !== undefined ? 16 : 0));
  let rows: ErrorRow[] = [];
  if (data.count > 0) rows = await analyzeError(prepared, result, pairs(result, prepared), data, runContext(ctx, 0.1, 0.4));
  let kept: KeptFloat[] = [];
  let accuracy: Record<string, unknown> | undefined;
  if (o.maxDrop !== undefined) {
    const random = o.eval === 'random' || (!o.eval && !calPath);
    if (random) warnings.push('Accuracy-aware mode evaluated on random inputs: the metric is top-1 agreement with the float model.');
    const evalSource = source(prepared, random ? undefined : resolveDataPath(o.eval ?? (calPath as string), input.sourceDir), o.evalLimit, input.sourceDir, 987654, ctx.inputSpec, input.configDirs);
    const rc = runContext(ctx, 0.4, 0.95);
    const reference = await predict(prepared, evalSource, rc, true, 'float model');
    const maxDrop = { value: o.maxDrop, relative: o.maxDropRelative };
    // a dynamic node's error is measured on the quantized model only: its accumulated error stands for its own
    const ranking = rankNodes(rows, rows, result.nodes.map((n) => ({ node: n.node, op: n.op, output: n.output })));
    const aware = await accuracyAware({ quantize: (k) => quantizeDynamic(prepared, options, k), ranking, source: evalSource, reference, maxDrop, maxReverts: o.maxReverts, ctx: rc });
    kept = aware.keptFloat;
    result = aware.result;
    if (!aware.met) warnings.push(`The accuracy target was not met with ${kept.length} node(s) kept in float.`);
    accuracy = { metric: aware.floatScore.metric, evalData: evalSource.description, float: aware.floatScore.value, quantized: aware.finalScore.value, outputSnrDb: aware.finalScore.outputSnrDb, maxDrop: o.maxDrop, relative: o.maxDropRelative, met: aware.met, steps: aware.steps };
    if (kept.length && data.count > 0) rows = await analyzeError(prepared, result, pairs(result, prepared), data, runContext(ctx, 0.95, 0.98));
  }
  const final = quantizeDynamic(prepared, options, new Set(kept.map((k) => k.node)), true);
  const after = weightBytes(final.proto, final.external);
  const quantizedOps: Record<string, number> = {};
  for (const n of final.nodes) quantizedOps[n.op] = (quantizedOps[n.op] ?? 0) + 1;
  const outputs = rows.filter((r) => r.kind === 'output');
  const outputSnr = outputs.length ? Math.min(...outputs.map((r) => r.snrDb ?? Infinity)) : null;
  const excluded = final.skipped.filter((s) => s.reason === 'excluded' && !kept.some((k) => k.node === s.node));
  const keptFloat = [...excluded.map((s) => ({ node: s.node, op: s.op, reason: 'excluded by the user' })), ...kept];
  if (!options.includeOps.includes('Conv') && prepared.proto.graph?.node.some((n) => n.opType === 'Conv')) {
    warnings.push('Conv nodes were left in float: dynamic ConvInteger is slower than float Conv on CPUs; use static quantization for convolutions (or include Conv explicitly).');
  }
  const report: Record<string, unknown> = {
    mode: 'dynamic',
    weightType: options.weightType,
    perChannel: options.perChannel,
    reduceRange: options.reduceRange,
    defaultsFrom: defaults.source,
    reduceRangeReason: defaults.reduceRangeReason,
    quantizedNodeCount: final.nodes.length,
    keptFloatCount: keptFloat.length,
    weightBytesBefore: floatBytes.total,
    weightBytesAfter: after.total,
    outputSnrDb: outputSnr === null || !Number.isFinite(outputSnr) ? null : Math.round(outputSnr * 100) / 100,
    errorData: data.count > 0 ? data.description : null,
    quantizedOps,
    keptFloat,
    skipped: final.skipped.filter((s) => s.reason !== 'excluded'),
    errorTable: rows.map((r) => ({ ...r, snrDb: r.snrDb === null ? null : Math.round(r.snrDb * 100) / 100 })),
    nodeErrors: nodeErrors(rows),
    ...(accuracy ? { accuracy } : {}),
    opsetUpgrade: upgraded,
  };
  return { proto: final.proto, report, warnings };
}
