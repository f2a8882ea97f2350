/** API handlers of evaluation: datasets, evaluate, compare variants and search recipes as jobs, report export. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import type { DatasetSpecSchema, ExportedReport, KeptCompareResult, KeptSearchResult } from '../../../shared/api/evaluate-api';
import { PreprocessConfigSchema } from '../../../shared/api/preprocess';
import type { CompareResultDto, SearchResultDto } from '../../../shared/api/evaluate-dto';
import { StudioError } from '../../../shared/api/errors';
import type { VariantDto } from '../../../shared/api/variants-api';
import type { LoadedModel } from '../onnx/load';
import { readPreprocessConfig } from '../runtime/inputs/model-extras';
import { familyConfigDirs } from '../runtime/inputs/preprocess-state';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { readablePath, writablePath } from '../store/path-access';
import { listFamily } from '../variants/variant-family';
import { compareModels, type CompareEntry } from './compare';
import { dataUsesOf } from './data-use';
import { modelNameFromFile, reportFileName } from '../../../shared/evaluate/report-name';
import { DATA_USED_KEY } from '../../../shared/evaluate/data-overlap';
import { modelIo, openDataset, type DatasetOptions } from './datasets';
import { evaluateModel } from './evaluate-model';
import { reportContent, reportMime, writeReport } from './report/report-files';
import { searchRecipes } from './search';

const MAX_KEPT = 20;

interface Kept {
  result: CompareResultDto;
  search: SearchResultDto | null;
}

/** @returns a check that refuses paths outside the session's folders (serve mode); the sample's and models' folders pass. */
function pathGuard(engine: StudioEngine, models: LoadedModel[]): (p: string, what: string) => string {
  const dirs = models.map((m) => m.dir);
  return (p, what) => readablePath(engine.settings, p, what, dirs);
}

/** The variant a model id belongs to, when it is one (name, kind, recipe, original's folder). */
function variantOf(engine: StudioEngine, modelId: string): { variant: VariantDto | null; rootDir: string } {
  try {
    const family = listFamily(engine, modelId);
    const variant = family.find((v) => v.modelId === modelId) ?? null;
    return { variant, rootDir: path.dirname(family[0]?.path ?? engine.loadedModel(modelId).path) };
  } catch {
    return { variant: null, rootDir: engine.loadedModel(modelId).dir };
  }
}

/** @returns the name of the model a variant belongs to: its family original's file name without `.onnx`. */
function familyModelName(engine: StudioEngine, modelId: string): string {
  try {
    return modelNameFromFile(listFamily(engine, modelId)[0]?.path ?? engine.loadedModel(modelId).fileName);
  } catch {
    return modelNameFromFile(engine.loadedModel(modelId).fileName);
  }
}

/** Turns a request's dataset spec into reader options (paths checked, config read). */
function datasetOptions(engine: StudioEngine, spec: z.input<typeof DatasetSpecSchema>, models: LoadedModel[], configDirs: string[]): DatasetOptions {
  const guard = pathGuard(engine, models);
  const preprocessPath = spec.preprocessPath ? guard(spec.preprocessPath, 'The preprocessing config') : undefined;
  return {
    path: guard(spec.path, 'The dataset'),
    preprocess: spec.preprocess ? PreprocessConfigSchema.parse(spec.preprocess) : (preprocessPath ? readPreprocessConfig(preprocessPath) : undefined),
    preprocessSource: spec.preprocess ? 'request' : preprocessPath,
    labelsPath: spec.labelsPath ? guard(spec.labelsPath, 'The labels file') : undefined,
    limit: spec.limit,
    sampling: spec.sampling,
    seed: spec.seed,
    // the family's folder first: the preprocessing and labels set in the Model place (they name no folder: see image-folder)
    configDirs: [...new Set([...models.map((m) => familyConfigDirs(engine, m.path).familyDir), ...configDirs])],
  };
}

/** @returns the handlers this module adds to the engine. */
export function evaluateHandlers(engine: StudioEngine): FeatureHandlers {
  const kept = new Map<string, Kept>();
  const keep = (result: CompareResultDto, search: SearchResultDto | null): string => {
    const id = `cmp-${crypto.randomBytes(6).toString('hex')}`;
    kept.set(id, { result, search });
    while (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value as string);
    return id;
  };
  return {
    inspectDataset: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const { rootDir } = variantOf(engine, req.modelId);
      const ds = openDataset(datasetOptions(engine, req.data, [loaded], [loaded.dir, rootDir]), modelIo(loaded.proto));
      return { ...ds.info, skipped: ds.skips.toDto() };
    },
    suggestDataset: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const { rootDir } = variantOf(engine, req.modelId);
      for (const dir of [loaded.dir, rootDir]) {
        const images = path.join(dir, 'images');
        if (fs.existsSync(images) && fs.statSync(images).isDirectory()) return { path: images, note: `the sample images beside ${path.basename(dir)}` };
      }
      return { path: null, note: 'No images/ folder sits beside the model: choose a dataset folder.' };
    },
    evaluateModel: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const reference = req.referenceModelId ? engine.loadedModel(req.referenceModelId) : undefined;
      const { rootDir } = variantOf(engine, req.modelId);
      const data = datasetOptions(engine, req.data, [loaded, ...(reference ? [reference] : [])], [loaded.dir, rootDir]);
      const { result } = engine.jobs.start(
        'evaluate',
        `Evaluate ${loaded.fileName}`,
        (job) =>
          evaluateModel(engine, loaded, {
            data,
            reference,
            batchSize: req.batchSize,
            outputName: req.outputName,
            session: req.session,
            targetId: req.targetId,
            signal: job.signal,
            onProgress: (f, stage) => job.progress(f, stage),
          }),
        req.jobId,
      );
      return result;
    },
    compareVariants: async (req) => {
      const models = req.modelIds.map((id) => engine.loadedModel(id));
      const infos = req.modelIds.map((id) => variantOf(engine, id));
      const entries: CompareEntry[] = models.map((m, i) => {
        const v = infos[i].variant;
        return { model: m, name: v ? (v.kind === 'original' ? 'original' : v.name) : m.fileName, variantId: v?.id ?? null, kind: v?.kind ?? 'model', recipe: v?.recipe ?? null, dataUse: dataUsesOf(v?.reports, DATA_USED_KEY) };
      });
      const names = new Set<string>();
      for (const e of entries) {
        let n = e.name as string;
        for (let k = 2; names.has(n); k++) n = `${e.name} (${k})`;
        e.name = n;
        names.add(n);
      }
      const data = datasetOptions(engine, req.data, models, [...new Set(infos.map((i) => i.rootDir))]);
      const { result } = engine.jobs.start(
        'compare',
        `Compare ${entries.length} variant${entries.length === 1 ? '' : 's'}`,
        async (job): Promise<KeptCompareResult> => {
          const r = await compareModels(entries, {
            data,
            referenceIndex: req.referenceIndex,
            batchSize: req.batchSize,
            timingRounds: req.timingRounds,
            timingSeconds: req.timingSeconds,
            timingBatch: req.timingBatch,
            memory: req.memory,
            session: req.session,
            targetId: req.targetId,
            modelName: familyModelName(engine, req.modelIds[0]),
            signal: job.signal,
            onProgress: (f, stage) => job.progress(f, stage),
            log: (line) => job.log(line),
          });
          return { ...r, resultId: keep(r, null) };
        },
        req.jobId,
      );
      return result;
    },
    searchRecipes: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const { rootDir } = variantOf(engine, req.modelId);
      const data = datasetOptions(engine, req.data, [loaded], [loaded.dir, rootDir]);
      const outDir = path.join(engine.settings.dataDir, 'search', `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`);
      const { result } = engine.jobs.start(
        'search',
        `Search recipes for ${loaded.fileName}`,
        async (job): Promise<KeptSearchResult> => {
          const r = await searchRecipes(
            engine,
            loaded,
            { data, maxDrop: req.maxDrop, targetId: req.targetId, session: req.session, pruneRatios: req.pruneRatios, fp16: req.fp16, outDir, timingRounds: req.timingRounds, timingSeconds: req.timingSeconds },
            job,
          );
          r.comparison.modelName = familyModelName(engine, req.modelId);
          return { ...r, resultId: keep(r.comparison, r) };
        },
        req.jobId,
      );
      return result;
    },
    exportCompareReport: async (req): Promise<ExportedReport> => {
      const k = kept.get(req.resultId);
      if (!k) throw new StudioError('INVALID_REQUEST', 'That comparison is no longer kept (the engine restarted or 20 newer ones replaced it): run it again.');
      const fileName = reportFileName(k.result.modelName ?? k.result.rows[k.result.referenceIndex]?.name ?? 'model', req.format);
      if (req.path) {
        const target = writablePath(engine.settings, req.path, 'The report');
        const written = writeReport(target, req.format, k.result, k.search);
        return { path: written.path, fileName: path.basename(written.path), mime: reportMime(req.format), content: null, sizeBytes: written.sizeBytes };
      }
      const content = reportContent(req.format, k.result, k.search);
      return { path: null, fileName, mime: reportMime(req.format), content, sizeBytes: Buffer.byteLength(content) };
    },
  };
}
