/** Evaluation methods of the StudioApi: datasets, evaluate one model, compare variants, search recipes, export reports. */
import { z } from 'zod';
import type { CompareResultDto, DatasetInfoDto, EvaluationDto, SearchResultDto } from './evaluate-dto';
import { jobRequestFields } from './jobs';
import { PreprocessConfigSchema } from './preprocess';
import { SessionOptionsSchema } from './runtime-api';

export * from './evaluate-dto';

const modelId = z.string().min(1).max(200);
const PathField = z.string().min(1).max(4096);

/** A dataset and how to read it. */
export const DatasetSpecSchema = z
  .object({
    /** a folder of class folders of images, a `.npy` file or folder, or ONNX `test_data_set_*` folders */
    path: PathField,
    /** a preprocessing config file; default: `preprocess.json` beside the data or the model (or its original) */
    preprocessPath: PathField.optional(),
    /** a preprocessing config given inline (the GUI's editor) */
    preprocess: PreprocessConfigSchema.optional(),
    /** class names (text, one a line) or class indices (`.npy`) */
    labelsPath: PathField.optional(),
    /** evaluate only this many items */
    limit: z.number().int().min(1).max(10_000_000).optional(),
    sampling: z.enum(['first', 'random']).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  })
  .strict();
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;

const runFields = {
  targetId: z.string().min(1).max(200).optional(),
  session: SessionOptionsSchema.optional(),
  /** items per run for the metrics */
  batchSize: z.number().int().min(1).max(4096).optional(),
};

const timingFields = {
  /** latency rounds (each runs every model once, in rotating order) */
  timingRounds: z.number().int().min(5).max(100_000).optional(),
  /** stop adding latency rounds after this many seconds */
  timingSeconds: z.number().positive().max(3600).optional(),
};

export const REPORT_FORMATS = ['html', 'json', 'csv', 'md'] as const;
export type ReportFormatName = (typeof REPORT_FORMATS)[number];

export const evaluateRequests = {
  /** scans a dataset for a model: what it holds and what would be skipped (nothing is decoded) */
  inspectDataset: z.object({ modelId, data: DatasetSpecSchema }).strict(),
  /** the dataset the studio suggests for a model: the `images/` folder beside it or its original */
  suggestDataset: z.object({ modelId }).strict(),
  evaluateModel: z
    .object({ modelId, data: DatasetSpecSchema, referenceModelId: modelId.optional(), outputName: z.string().max(1000).optional(), ...runFields, ...jobRequestFields })
    .strict(),
  compareVariants: z
    .object({
      /** open models (variants of one model); the first is the reference unless `referenceIndex` says otherwise */
      modelIds: z.array(modelId).min(1).max(16),
      referenceIndex: z.number().int().min(0).max(15).optional(),
      data: DatasetSpecSchema,
      /** items per timed run */
      timingBatch: z.number().int().min(1).max(4096).optional(),
      /** measure peak memory per model in a fresh process (default true) */
      memory: z.boolean().optional(),
      ...runFields,
      ...timingFields,
      ...jobRequestFields,
    })
    .strict(),
  searchRecipes: z
    .object({
      modelId,
      data: DatasetSpecSchema,
      /** the largest accepted drop of top-1 accuracy (agreement without labels), a fraction: 0.01 = 1 point */
      maxDrop: z.number().min(0).max(0.99),
      pruneRatios: z.array(z.number().gt(0).lt(1)).min(1).max(6).optional(),
      fp16: z.boolean().optional(),
      ...runFields,
      ...timingFields,
      ...jobRequestFields,
    })
    .strict(),
  /** a kept comparison's report: written to `path`, or returned as text (browser download) when `path` is left out */
  exportCompareReport: z.object({ resultId: z.string().min(1).max(100), format: z.enum(REPORT_FORMATS), path: PathField.optional() }).strict(),
} as const;

/** A comparison the engine keeps so its report can be exported later. */
export type KeptCompareResult = CompareResultDto & { resultId: string };
export type KeptSearchResult = SearchResultDto & { resultId: string };

export interface ExportedReport {
  /** the file written, or null when the content is returned */
  path: string | null;
  /** a suggested file name */
  fileName: string;
  mime: string;
  content: string | null;
  sizeBytes: number;
}

export interface SuggestedDataset {
  path: string | null;
  /** what it is, or why there is none */
  note: string;
}

export interface EvaluateResponses {
  inspectDataset: DatasetInfoDto;
  suggestDataset: SuggestedDataset;
  evaluateModel: EvaluationDto;
  compareVariants: KeptCompareResult;
  searchRecipes: KeptSearchResult;
  exportCompareReport: ExportedReport;
}
