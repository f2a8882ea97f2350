/** The fp16 pass's work: convert, compare float32 vs float16 outputs on data, report. */
import type { PassContext, PassInput, PassOutput } from '../pass';
import { limitSource, openFeedSource } from './calibration-data';
import { analyzeError, type ErrorRow } from './error-analysis';
import { convertFp16 } from './fp16-convert';
import { ModelIR } from '../../onnx/ir/model-ir';
import { clone } from '@bufbuild/protobuf';
import { mapClonedTensors } from '../../onnx/ir/model-ir';
import { ModelProtoSchema } from '../../onnx/proto';
import { FP16_BLOCK_DEFAULT, FP32_ONLY_OPS, FP16_MIXED_EXTRA } from './op-rules';
import { resolveDataPath, runContext, weightBytes } from './pass-common';
import { StudioError } from '../../../../shared/api/errors';
import { prepareModel, nodeMatcher } from './static-quantizer';

/** The fp16 pass's options after zod (see `passes/convert-fp16.ts`). */
export interface Fp16PassOptions {
  keepIoTypes: boolean;
  blockOps?: string[];
  mixed: boolean;
  exclude: string[];
  calibration?: string;
  errorItems: number;
}

/**
 * Runs the conversion.
 * @param input - the pass input (edited in place)
 */
export async function runFp16(input: PassInput, o: Fp16PassOptions, ctx: PassContext): Promise<PassOutput> {
  const warnings: string[] = [];
  ctx.progress(0.02, 'preparing the model');
  const before = weightBytes(input.proto, input.external);
  const prepared = prepareModel(input.proto, input.external);
  const reference = clone(ModelProtoSchema, prepared.proto);
  const referenceExternal = mapClonedTensors(prepared.proto, reference, prepared.external);
  const blockOps = new Set([...FP32_ONLY_OPS, ...(o.blockOps ?? FP16_BLOCK_DEFAULT), ...(o.mixed ? FP16_MIXED_EXTRA : [])]);
  const ir = new ModelIR(prepared.proto);
  ctx.progress(0.1, 'converting to float16');
  const r = convertFp16(ir.graph, prepared.external, prepared.dtypeOf, { keepIoTypes: o.keepIoTypes, blockOps, isExcluded: nodeMatcher(o.exclude) });
  if (r.convertedTensors === 0 && r.fp16Nodes === 0) {
    throw new StudioError('UNSUPPORTED_OP', 'Nothing to convert: the model has no float32 weights or float32 ops outside the fp32 list. No model was written.');
  }
  if (r.clampedHigh) warnings.push(`${r.clampedHigh} weight value(s) were beyond float16's ±65504 and were clamped.`);
  let rows: ErrorRow[] = [];
  if (o.errorItems > 0) {
    const path = o.calibration ? resolveDataPath(o.calibration, input.sourceDir) : undefined;
    const data = limitSource(openFeedSource(reference, { path, batchSize: 8, configDirs: input.configDirs ?? [input.sourceDir], randomCount: Math.min(o.errorItems, 16), inputSpec: ctx.inputSpec }), o.errorItems);
    const outputs = reference.graph?.output.map((v) => ({ tensor: v.name, quantName: v.name, node: v.name, op: 'output', kind: 'output' as const })) ?? [];
    if (o.keepIoTypes) rows = await analyzeError({ proto: reference, external: referenceExternal }, { proto: prepared.proto, external: prepared.external }, outputs, data, runContext(ctx, 0.3, 0.95));
  }
  const after = weightBytes(prepared.proto, prepared.external);
  const snr = rows.length ? Math.min(...rows.map((x) => x.snrDb ?? Infinity)) : null;
  const report: Record<string, unknown> = {
    mode: 'fp16',
    keepIoTypes: o.keepIoTypes,
    mixed: o.mixed,
    convertedTensors: r.convertedTensors,
    convertedNodeCount: r.fp16Nodes,
    quantizedNodeCount: r.fp16Nodes,
    castNodes: r.castNodes,
    clampedHigh: r.clampedHigh,
    clampedLow: r.clampedLow,
    keptFloatCount: r.keptFloat.length,
    weightBytesBefore: before.total,
    weightBytesAfter: after.total,
    outputSnrDb: snr === null || !Number.isFinite(snr) ? null : Math.round(snr * 100) / 100,
    keptFloat: r.keptFloat,
    blockOps: [...blockOps].sort(),
    errorTable: rows.map((x) => ({ ...x, snrDb: x.snrDb === null ? null : Math.round(x.snrDb * 100) / 100 })),
  };
  return { proto: prepared.proto, report, warnings };
}
