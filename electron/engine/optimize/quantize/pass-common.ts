/** Helpers shared by the quantization passes: option pieces, data paths, weight sizes, the "nothing to quantize" error. */
import * as path from 'node:path';
import { z } from 'zod';
import { StudioError } from '../../../../shared/api/errors';
import type { ExternalRef } from '../../onnx/external-data';
import { DataType, type ModelProto, type TensorProto } from '../../onnx/proto';
import { forEachTensor } from '../../onnx/walk';
import type { PassContext } from '../pass';
import type { RunContext } from './collect-stats';

/** Options every int8 pass takes: data, exclusions, accuracy-aware mode. */
export const commonQuantOptions = {
  /** calibration data: a dataset folder or `.npy` (relative paths resolve against the model's folder); random when left out */
  calibration: z.string().min(1).max(4096).optional(),
  /** calibration items used at most */
  calibrationLimit: z.number().int().min(1).max(1_000_000).default(512),
  /** op types to quantize (default: the pass's own list) */
  includeOps: z.array(z.string().min(1).max(100)).max(200).optional(),
  /** node names, or `/regex/` patterns, kept in float */
  exclude: z.array(z.string().min(1).max(1000)).max(10_000).default([]),
  /** items of the calibration data compared float vs quantized for the error table (0 skips the analysis) */
  errorItems: z.number().int().min(0).max(100_000).default(32),
  /** accuracy-aware mode: the largest allowed drop of the metric (points, or percent with `maxDropRelative`) */
  maxDrop: z.number().min(0).max(100).optional(),
  maxDropRelative: z.boolean().default(false),
  /** validation data for accuracy-aware mode: a dataset path, or `random` for seeded random inputs (agreement only) */
  eval: z.string().min(1).max(4096).optional(),
  evalLimit: z.number().int().min(1).max(1_000_000).default(1000),
  /** nodes accuracy-aware mode may revert to float at most */
  maxReverts: z.number().int().min(1).max(10_000).default(40),
};

/** @returns an absolute data path (relative ones against the model's folder). */
export function resolveDataPath(p: string, sourceDir: string): string {
  return path.isAbsolute(p) ? p : path.resolve(sourceDir, p);
}

/** Adapts a pass context to the narrower context the quantize helpers use. */
export function runContext(ctx: PassContext, from: number, to: number): RunContext {
  return {
    runtime: ctx.runtime,
    signal: ctx.job.signal,
    progress: (f, stage) => ctx.progress(from + (to - from) * Math.max(0, Math.min(1, f)), stage),
    log: (line) => ctx.job.log(line),
    throwIfCancelled: () => ctx.job.throwIfCancelled(),
  };
}

/** Bytes of stored tensors by element type group. */
export interface WeightBytes {
  float: number;
  total: number;
}

/** @returns the bytes of every stored tensor (initializers, Constant values), and of the float32 ones. */
export function weightBytes(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>): WeightBytes {
  let float = 0;
  let total = 0;
  forEachTensor(proto, (t) => {
    const n = external.get(t)?.length ?? t.rawData.length + t.floatData.length * 4 + t.int32Data.length * 4 + t.int64Data.length * 8 + t.doubleData.length * 8 + t.uint64Data.length * 8;
    total += n;
    if (t.dataType === DataType.FLOAT) float += n;
  });
  return { float, total };
}

/** @returns op type → count of the main graph's nodes. */
export function opCounts(proto: ModelProto): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of proto.graph?.node ?? []) out[n.opType] = (out[n.opType] ?? 0) + 1;
  return out;
}

/**
 * The error for a model with nothing to quantize.
 * @param what - `static int8`, `dynamic int8` …
 * @param proto - the model (its op counts are named)
 * @param reasons - why candidate nodes were left out
 */
export function nothingToQuantize(what: string, proto: ModelProto, wanted: readonly string[], reasons: string[]): StudioError {
  const counts = opCounts(proto);
  const present = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([op, n]) => `${n} ${op}`)
    .join(', ');
  const why = reasons.length ? ` Candidates were left out: ${reasons.slice(0, 5).join('; ')}.` : '';
  return new StudioError(
    'UNSUPPORTED_OP',
    `Nothing to quantize: ${what} quantization needs ${wanted.join(', ')} nodes with float32 weights, and this model has none ` +
      `(it has ${present || 'no nodes'}).${why} No model was written; try fp16 instead, or leave the model as it is.`,
  );
}

/** Options both int8 passes share: data, node selection, error analysis and the accuracy-aware mode. */
export interface Int8PassCommonOptions {
  calibration?: string;
  calibrationLimit: number;
  includeOps?: string[];
  exclude: string[];
  errorItems: number;
  maxDrop?: number;
  maxDropRelative: boolean;
  eval?: string;
  evalLimit: number;
  maxReverts: number;
}
