/** Recipe search: make every recipe of the grid, compare them all with the original, recommend the fastest within the drop. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SearchCandidateDto, SearchResultDto } from '../../../shared/api/evaluate-dto';
import { StudioError } from '../../../shared/api/errors';
import type { SessionOptionsDto } from '../../../shared/api/runtime-api';
import { fileNameStem } from '../../../shared/security/untrusted-text';
import type { JobContext } from '../jobs/job-runner';
import type { LoadedModel } from '../onnx/load';
import { registerBuiltinPasses } from '../optimize/passes';
import { fileSha256, runRecipe } from '../optimize/recipe-runner';
import type { StudioEngine } from '../studio-engine';
import { compareModels } from './compare';
import type { DatasetOptions } from './datasets';
import { buildSearchGrid, candidateRecipe } from './search-grid';

/** Options of {@link searchRecipes}. */
export interface SearchOptions {
  data: DatasetOptions;
  /** the largest accepted drop of top-1 accuracy (or agreement, without labels), as a fraction (0.01 = 1 point) */
  maxDrop: number;
  targetId?: string;
  session?: SessionOptionsDto;
  pruneRatios?: number[];
  fp16?: boolean;
  /** data the passes calibrate on (default: the evaluation data, with a warning that the figures may be optimistic) */
  calibrationPath?: string;
  /** where candidate models are written; the recommended one stays there */
  outDir: string;
  timingRounds?: number;
  timingSeconds?: number;
}

function slug(s: string): string {
  return fileNameStem(s, { max: 40, fallback: 'candidate' });
}

/** A job context for one step of a longer job: progress mapped into [from, to]. */
function subJob(job: JobContext, from: number, to: number, prefix: string): JobContext {
  return {
    signal: job.signal,
    log: (line) => job.log(`${prefix}: ${line}`),
    throwIfCancelled: () => job.throwIfCancelled(),
    progress: (f, stage) => job.progress(from + Math.max(0, Math.min(1, f)) * (to - from), `${prefix}: ${stage ?? ''}`),
  };
}

/**
 * Searches recipes for a model.
 * @param engine - the engine (passes run in it, models in a dedicated inference process)
 * @param source - the original model (never modified)
 * @param job - progress, log and cancellation
 * @returns every candidate with its row, the Pareto front, and the recommended candidate (null when none is faster
 * than the original within the drop)
 * @throws StudioError `INVALID_REQUEST` when no optimization pass is available; data errors from the comparison
 */
export async function searchRecipes(engine: StudioEngine, source: LoadedModel, options: SearchOptions, job: JobContext): Promise<SearchResultDto> {
  if (!(options.maxDrop >= 0 && options.maxDrop < 1)) throw new StudioError('INVALID_REQUEST', `The maximum drop must be a fraction in [0, 1), such as 0.01 for one point; got ${options.maxDrop}.`);
  registerBuiltinPasses();
  const calibrationPath = path.resolve(options.calibrationPath ?? options.data.path);
  const { candidates: grid, passes } = buildSearchGrid({ dataPath: calibrationPath, pruneRatios: options.pruneRatios, fp16: options.fp16 });
  if (!grid.length) throw new StudioError('INVALID_REQUEST', 'No optimization pass is available to search with.');
  fs.mkdirSync(options.outDir, { recursive: true });
  const sourceRef = { fileName: source.fileName, sha256: fileSha256(source.path) };
  job.log(`searching ${grid.length} recipes with ${passes.join(', ')}`);
  const made: SearchCandidateDto[] = [];
  for (let i = 0; i < grid.length; i++) {
    job.throwIfCancelled();
    const c = grid[i];
    const recipe = candidateRecipe(c, sourceRef, options.targetId);
    const out = path.join(options.outDir, `${String(i + 1).padStart(2, '0')}-${slug(c.label)}.onnx`);
    const sub = subJob(job, (0.4 * i) / grid.length, (0.4 * (i + 1)) / grid.length, `making ${c.label} (${i + 1}/${grid.length})`);
    try {
      const run = await runRecipe(engine, source, recipe, out, sub, options.targetId);
      made.push({ label: c.label, recipe, row: null, error: null, drop: null, meetsDrop: false, onFront: false, modelPath: run.outPath });
    } catch (err) {
      if (err instanceof StudioError && err.code === 'JOB_CANCELLED') throw err;
      const message = err instanceof Error ? err.message : String(err);
      job.log(`${c.label} failed: ${message}`);
      made.push({ label: c.label, recipe, row: null, error: message, drop: null, meetsDrop: false, onFront: false, modelPath: null });
    }
  }
  const ok = made.filter((m) => m.modelPath);
  if (!ok.length) throw new StudioError('JOB_FAILED', `Every recipe failed to run; the first: ${made[0]?.label}: ${made[0]?.error}`);
  const comparison = await compareModels(
    [{ model: source, name: 'original', kind: 'original' }, ...ok.map((m) => ({ model: m.modelPath as string, name: m.label, kind: 'candidate', recipe: m.recipe }))],
    {
      data: options.data,
      targetId: options.targetId,
      session: options.session,
      timingRounds: options.timingRounds,
      timingSeconds: options.timingSeconds,
      memory: false,
      signal: job.signal,
      onProgress: (f, stage) => job.progress(0.4 + f * 0.58, stage),
      log: (line) => job.log(line),
    },
  );
  const usesData = grid.some((c) => JSON.stringify(c.steps).includes(JSON.stringify(calibrationPath)));
  if (usesData && calibrationPath === path.resolve(options.data.path)) {
    comparison.warnings.push('The passes calibrated on the evaluation data, so the accuracy of the candidates may be optimistic: give separate calibration data for an unbiased estimate.');
  }
  const original = comparison.rows[0];
  const metric = original.accuracyTop1 !== null ? 'accuracyTop1' : 'agreementTop1';
  const base = original[metric] ?? 1;
  ok.forEach((m, k) => {
    const row = comparison.rows[k + 1];
    m.row = row;
    const value = row[metric];
    m.drop = value === null ? null : base - value;
    m.meetsDrop = m.drop !== null && m.drop <= options.maxDrop + 1e-12;
    m.onFront = comparison.paretoFront.includes(k + 1);
  });
  let recommended: number | null = null;
  made.forEach((m, i) => {
    if (!m.meetsDrop || !m.row || m.row.latencyMs.p50 >= original.latencyMs.p50) return;
    if (recommended === null || m.row.latencyMs.p50 < (made[recommended].row?.latencyMs.p50 ?? Infinity)) recommended = i;
  });
  for (let i = 0; i < made.length; i++) {
    const p = made[i].modelPath;
    if (p && i !== recommended) {
      fs.rmSync(p, { force: true });
      fs.rmSync(`${p}.data`, { force: true });
      made[i].modelPath = null;
    }
  }
  job.log(recommended === null ? 'no recipe was faster than the original within the drop' : `recommended: ${made[recommended].label}`);
  return { maxDrop: options.maxDrop, metric, passesAvailable: passes, original, candidates: made, recommended, comparison };
}
