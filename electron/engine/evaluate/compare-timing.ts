/** Latency from alternated runs, peak memory in a fresh process, static figures, and one comparison row. */
import * as path from 'node:path';
import type { CompareRowDto } from '../../../shared/api/evaluate-dto';
import { StudioError } from '../../../shared/api/errors';
import { analyzeModel } from '../analysis/model-analysis';
import { summarize } from '../analysis/summary';
import type { LoadedModel } from '../onnx/load';
import type { BackendSessionOptions, HostTensor } from '../runtime/backend';
import { startDedicatedRunner } from '../runtime/compare-runner';
import type { RunnerClient } from '../runtime/runner/runner-client';
import type { BenchOutcome, TimeOutcome } from '../runtime/runner/runner-protocol';
import { latencyStats } from '../runtime/stats';
import type { CompareEntry } from './compare';
import type { Dataset } from './datasets';
import type { EvalModel, ModelMetrics } from './evaluate-core';

/** Rounds that always run, whatever the time limit. */
const MIN_ROUNDS = 10;

export interface TimingOptions {
  runner: RunnerClient;
  sessionOptions: BackendSessionOptions;
  rounds: number;
  seconds: number;
  warmup: number;
  batch: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

export interface TimingOutcome {
  /** per model, every timed run in order, milliseconds */
  latencies: number[][];
  rounds: number;
  batch: number;
  /** the inputs that were timed (real data: the first items of the dataset) */
  feeds: Record<string, HostTensor>;
}

function cancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'The comparison was cancelled.');
}

/**
 * Times models on the same inputs with the runtime's one timing protocol (inputs prepared before the clock, warm-up,
 * rounds whose order rotates so that machine noise falls on every model alike), in the comparison's inference process.
 * @param models - the models (their sessions are warm in `runner` after the metrics)
 * @param dataset - the data; its first `batch` usable items are the timed inputs
 */
export async function timeAlternating(models: EvalModel[], dataset: Dataset, o: TimingOptions): Promise<TimingOutcome> {
  const batchSize = dataset.maxBatch(o.batch);
  let feeds: Record<string, HostTensor> | undefined;
  for await (const b of dataset.batches(batchSize, o.signal)) {
    feeds = b.inputs;
    break;
  }
  if (!feeds) throw new StudioError('INVALID_INPUT', 'No item of the dataset could be read for timing.');
  cancelled(o.signal);
  const timed = await o.runner.call<TimeOutcome>(
    {
      op: 'time',
      models: models.map((m) => ({ model: m.runnerModel, options: o.sessionOptions, feeds: feeds as Record<string, HostTensor> })),
      warmup: o.warmup,
      rounds: o.rounds,
      seconds: o.seconds,
      minRounds: MIN_ROUNDS,
    },
    { what: 'the latency measurement', signal: o.signal, onProgress: o.onProgress },
  );
  return { latencies: timed.latencies, rounds: timed.latencies[0]?.length ?? 0, batch: feeds[Object.keys(feeds)[0]]?.dims[0] ?? batchSize, feeds };
}

/**
 * Peak resident memory of a fresh inference process that loads the model and runs it a few times.
 * @returns bytes (the process's own baseline included; the same for every model, so differences are the model's)
 */
export async function measurePeakRss(m: EvalModel, feeds: Record<string, HostTensor>, options: BackendSessionOptions, signal?: AbortSignal): Promise<number> {
  const runner = await startDedicatedRunner(1);
  try {
    const out = await runner.call<BenchOutcome>(
      { op: 'bench', model: m.runnerModel, options, feeds, runs: 5, warmup: 1 },
      { what: `the memory measurement of ${m.loaded.fileName}`, signal },
    );
    return out.peakRssBytes;
  } finally {
    runner.dispose();
  }
}

/** Size, parameters and MACs of a model (MACs from the analysis module; null when it cannot count them). */
export interface ModelFigures {
  sizeBytes: number;
  params: number;
  macs: number | null;
}

/** @returns the model's static figures. */
export function modelFigures(loaded: LoadedModel): ModelFigures {
  const summary = summarize(loaded);
  let macs: number | null = null;
  try {
    const a = analyzeModel(loaded).dto;
    macs = a.costsKnown || a.totals.macs > 0 ? a.totals.macs : null;
  } catch {
    macs = null;
  }
  return { sizeBytes: loaded.fileSizeBytes + loaded.externalDataBytes, params: summary.paramCount, macs };
}

/** @returns a comparison row (deltas are filled in by the caller once the reference row exists). */
export function buildRow(p: {
  entry: CompareEntry;
  model: EvalModel;
  isReference: boolean;
  metrics: ModelMetrics;
  latencies: number[];
  batch: number;
  peakRssBytes: number;
  figures: ModelFigures;
}): CompareRowDto {
  const { metrics, figures } = p;
  const stats = latencyStats(p.latencies);
  const total = p.latencies.reduce((a, b) => a + b, 0);
  const fid = metrics.fidelity;
  return {
    name: p.entry.name ?? path.basename(p.model.loaded.path),
    modelPath: p.model.loaded.path,
    variantId: p.entry.variantId ?? null,
    kind: p.entry.kind ?? (p.isReference ? 'original' : 'model'),
    isReference: p.isReference,
    accuracyTop1: metrics.classification ? metrics.classification.top1 : null,
    accuracyTop5: metrics.classification ? metrics.classification.top5 : null,
    agreementTop1: p.isReference ? null : (fid?.agreementTop1 ?? null),
    snrDb: p.isReference ? null : (fid?.snrDb ?? null),
    cosine: p.isReference ? 1 : (fid?.cosine ?? null),
    maxAbsError: p.isReference ? 0 : (fid?.maxAbsError ?? null),
    meanAbsError: p.isReference ? 0 : (fid?.meanAbsError ?? null),
    expectedMatched: metrics.expected ? metrics.expected.matched : null,
    latencyMs: { p50: stats.p50, p90: stats.p90, p99: stats.p99, mean: stats.mean, min: stats.min, max: stats.max },
    latenciesMs: p.latencies,
    throughput: total > 0 ? (p.batch * p.latencies.length) / (total / 1000) : 0,
    sizeBytes: figures.sizeBytes,
    peakRssBytes: p.peakRssBytes,
    macs: figures.macs,
    params: figures.params,
    confusion: metrics.classification ? metrics.classification.confusion : null,
    confusionClasses: metrics.classification ? metrics.classification.confusionClasses : null,
    confusionNote: metrics.classification ? metrics.classification.confusionNote : null,
    delta: { accuracyTop1: null, latencyP50Ms: 0, latencyP50Ratio: 1, sizeBytes: 0, sizeRatio: 1 },
    recipe: p.entry.recipe ?? null,
  };
}
