/** Compares N variants on the same data and settings: metrics and latency from runs alternated between the variants. */
import * as os from 'node:os';
import type { CompareResultDto, CompareRowDto } from '../../../shared/api/evaluate-dto';
import { StudioError } from '../../../shared/api/errors';
import type { SessionOptionsDto } from '../../../shared/api/runtime-api';
import type { Recipe } from '../../../shared/recipes/recipe';
import type { LoadedModel } from '../onnx/load';
import { startDedicatedRunner } from '../runtime/compare-runner';
import { ortVersion } from '../runtime/ort-info';
import type { RunnerClient } from '../runtime/runner/runner-client';
import { describeOptions, resolveSessionOptions } from '../runtime/session-options';
import type { DatasetOptions } from './datasets';
import { openDataset } from './datasets';
import { evaluateAlternating, type EvalModel } from './evaluate-core';
import { evalModel } from './evaluate-model';
import { buildRow, measurePeakRss, modelFigures, timeAlternating } from './compare-timing';
import { paretoFront } from './metrics';
import { fingerprintData } from './data-use';
import { findOverlaps, type DataUseDto } from '../../../shared/evaluate/data-overlap';
import { modelNameFromFile } from '../../../shared/evaluate/report-name';

/** One model to compare. */
export interface CompareEntry {
  model: LoadedModel | string;
  /** what the user calls it (variant name); default: the file name */
  name?: string;
  variantId?: string | null;
  kind?: string;
  recipe?: Recipe | null;
  /** the data its passes read (its `data-used` report), to flag an evaluation on the same data */
  dataUse?: DataUseDto[];
}

/** Options of {@link compareModels}. */
export interface CompareOptions {
  data: DatasetOptions;
  /** the model deltas and fidelity are measured against (default 0: the first) */
  referenceIndex?: number;
  /** items per run for the metrics (default 32) */
  batchSize?: number;
  /** latency: rounds after warm-up (each round runs every model once, rotating the order); default 50 */
  timingRounds?: number;
  /** latency: stop adding rounds after this many seconds (at least 10 rounds run); default 20 */
  timingSeconds?: number;
  warmupRounds?: number;
  /** items per timed run (default 1) */
  timingBatch?: number;
  /** measure each model's peak memory in a fresh inference process (default true) */
  memory?: boolean;
  outputName?: string;
  session?: SessionOptionsDto;
  targetId?: string;
  /** the model the variants are of, for report names and titles (default: the reference's file name) */
  modelName?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  log?: (line: string) => void;
}

/**
 * Compares models on one dataset.
 * @param entries - the variants (at least one; all with the same inputs and outputs)
 * @param options - data, reference, timing and session settings
 * @returns one row per model with metrics, latency percentiles, throughput, size, memory, MACs, params and deltas
 * @throws StudioError naming what is wrong (data, models that are not variants of one another, cancellation)
 */
export async function compareModels(entries: CompareEntry[], options: CompareOptions): Promise<CompareResultDto> {
  if (!entries.length) throw new StudioError('INVALID_REQUEST', 'Pick at least one model to compare.');
  const refIndex = options.referenceIndex ?? 0;
  if (refIndex < 0 || refIndex >= entries.length) throw new StudioError('INVALID_REQUEST', `The reference index ${refIndex} is not one of the ${entries.length} models.`);
  const progress = options.onProgress ?? (() => undefined);
  const log = options.log ?? (() => undefined);
  const models: EvalModel[] = entries.map((e) => evalModel(e.model));
  const configDirs = [...new Set([...(options.data.configDirs ?? []), ...[models[refIndex], ...models].map((m) => m.loaded.dir)])];
  const dataset = openDataset({ ...options.data, configDirs }, models[refIndex].io);
  log(`dataset: ${dataset.info.kind}, ${dataset.info.itemCount} items (${dataset.info.subset}); ${dataset.skips.summary()}`);
  const { options: sessionOptions, resolved } = await resolveSessionOptions(options.session, options.targetId);
  progress(0.01, 'starting the inference process');
  const runner: RunnerClient = await startDedicatedRunner(models.length + 1);
  try {
    const evalOut = await evaluateAlternating(models, refIndex, dataset, {
      runner,
      sessionOptions,
      batchSize: options.batchSize ?? 32,
      outputName: options.outputName,
      signal: options.signal,
      onProgress: (f, stage) => progress(0.02 + f * 0.5, `metrics: ${stage}`),
    });
    log(`metrics: ${evalOut.evaluated} items through ${models.length} models`);
    const timing = await timeAlternating(models, dataset, {
      runner,
      sessionOptions,
      rounds: options.timingRounds ?? 50,
      seconds: options.timingSeconds ?? 20,
      warmup: options.warmupRounds ?? 3,
      batch: options.timingBatch ?? 1,
      signal: options.signal,
      onProgress: (f, stage) => progress(0.52 + f * 0.36, stage),
    });
    log(`latency: ${timing.rounds} rounds of ${models.length} models, batch ${timing.batch}`);
    const peaks: number[] = [];
    if (options.memory !== false) {
      for (let i = 0; i < models.length; i++) {
        if (options.signal?.aborted) throw new StudioError('JOB_CANCELLED', 'The comparison was cancelled.');
        progress(0.88 + (0.1 * i) / models.length, `memory: ${models[i].loaded.fileName}`);
        peaks.push(await measurePeakRss(models[i], timing.feeds, sessionOptions, options.signal));
      }
    }
    const figures = models.map((m) => modelFigures(m.loaded));
    const rows: CompareRowDto[] = models.map((m, i) =>
      buildRow({
        entry: entries[i],
        model: m,
        isReference: i === refIndex,
        metrics: evalOut.perModel[i],
        latencies: timing.latencies[i],
        batch: timing.batch,
        peakRssBytes: peaks[i] ?? 0,
        figures: figures[i],
      }),
    );
    const ref = rows[refIndex];
    if (rows.some((r) => r.agreementTop1 !== null) || ref.accuracyTop1 !== null) ref.agreementTop1 = 1;
    for (const row of rows) {
      const accDelta = row.accuracyTop1 !== null && ref.accuracyTop1 !== null ? row.accuracyTop1 - ref.accuracyTop1 : null;
      row.delta = {
        accuracyTop1: accDelta,
        latencyP50Ms: row.latencyMs.p50 - ref.latencyMs.p50,
        latencyP50Ratio: ref.latencyMs.p50 > 0 ? row.latencyMs.p50 / ref.latencyMs.p50 : 1,
        sizeBytes: row.sizeBytes - ref.sizeBytes,
        sizeRatio: ref.sizeBytes > 0 ? row.sizeBytes / ref.sizeBytes : 1,
      };
    }
    const evalPrint = entries.some((e) => e.dataUse?.length) ? fingerprintData(options.data.path) : null;
    const dataOverlaps = evalPrint ? findOverlaps(evalPrint, rows.map((r, i) => ({ name: r.name, uses: entries[i].dataUse ?? [] }))) : [];
    for (const o of dataOverlaps) log(`warning: ${o.message}`);
    const front = paretoFront(rows.map((r) => ({ accuracy: r.accuracyTop1 ?? r.agreementTop1, latency: r.latencyMs.p50 })));
    progress(1, 'done');
    return {
      createdAt: new Date().toISOString(),
      dataset: { ...dataset.info, skipped: dataset.skips.toDto() },
      evaluated: evalOut.evaluated,
      classNames: dataset.info.classNames,
      targetId: options.targetId ?? null,
      sessionOptions: { ...describeOptions(sessionOptions), ...resolved },
      timingRounds: timing.rounds,
      timingBatch: timing.batch,
      referenceIndex: refIndex,
      rows,
      paretoFront: front,
      host: { platform: process.platform, arch: process.arch, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', onnxruntime: ortVersion() },
      warnings: evalOut.warnings,
      dataOverlaps,
      modelName: options.modelName ?? modelNameFromFile(models[refIndex].loaded.fileName),
    };
  } finally {
    runner.dispose();
  }
}
