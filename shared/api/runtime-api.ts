/** The runtime methods of the StudioApi: input specs, run, benchmark (with profiling), and the demo's image classifier. */
import { z } from 'zod';
import { jobRequestFields } from './jobs';
import { PreprocessConfigSchema, type PreprocessConfig } from './preprocess';
import { InputSpecSchema, type InputSpecStateDto } from './input-spec';
import type { BenchResultDto, ClassifyResultDto, DemoImageDto, InputSpecDto, RunResultDto, RuntimeInfoDto } from './runtime-dto';

export * from './runtime-dto';

const modelId = z.string().min(1).max(200);

/** Session options a user may set; anything left out uses onnxruntime's default (or the target profile's). */
export const SessionOptionsSchema = z
  .object({
    intraOpThreads: z.number().int().min(0).max(256).optional(),
    interOpThreads: z.number().int().min(0).max(256).optional(),
    graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).optional(),
    executionMode: z.enum(['sequential', 'parallel']).optional(),
  })
  .strict();
export type SessionOptionsDto = z.infer<typeof SessionOptionsSchema>;

/** Where one model input's data comes from. */
export const InputSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('random'),
      seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      low: z.number().optional(),
      high: z.number().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('zeros') }).strict(),
  /** a `.pb` TensorProto, `.npy`, `.npz`, `.json` array or an image (PNG, JPEG, WebP, GIF, TIFF, AVIF) */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }).strict(),
]);
export type InputSource = z.infer<typeof InputSourceSchema>;

const inputFields = {
  modelId,
  /** per input name; inputs not named get seeded random data */
  inputs: z.record(z.string().max(1000), InputSourceSchema).optional(),
  /** values of symbolic dimensions (`batch`, `seq`, …); unnamed dims are `<input>.<axis>` */
  dims: z.record(z.string().max(1000), z.number().int().min(1).max(1_000_000)).optional(),
  session: SessionOptionsSchema.optional(),
  /** a target profile id; its session options apply under `session` */
  targetId: z.string().min(1).max(200).optional(),
};

/** Requests of the runtime methods. */
export const runtimeRequests = {
  getInputSpec: z.object({ modelId }).strict(),
  /** the input spec of the model's family, resolved: what the user set and what the studio guesses for the rest */
  getInputSpecState: z.object({ modelId }).strict(),
  /** sets the input spec of the model's family (every variant runs with it); an empty spec clears it */
  setInputSpec: z.object({ modelId, spec: InputSpecSchema }).strict(),
  runModel: z
    .object({
      ...inputFields,
      topK: z.number().int().min(1).max(1000).optional(),
      /** a labels file (one label a line); by default `labels.txt` beside the model */
      labelsPath: z.string().min(1).max(4096).optional(),
      ...jobRequestFields,
    })
    .strict(),
  benchmark: z
    .object({
      ...inputFields,
      runs: z.number().int().min(1).max(1_000_000).optional(),
      seconds: z.number().positive().max(3600).optional(),
      warmup: z.number().int().min(0).max(10_000).optional(),
      batch: z.number().int().min(1).max(65_536).optional(),
      profile: z.boolean().optional(),
      ...jobRequestFields,
    })
    .strict(),
  listDemoImages: z.object({ modelId }).strict(),
  classifyImage: z
    .object({
      modelId,
      /** an engine-side path: a sample image (listDemoImages) or a dropped/uploaded file */
      imagePath: z.string().min(1).max(4096),
      topK: z.number().int().min(1).max(100).optional(),
      /** use this config when the model has no preprocess.json of its own (a variant saved elsewhere) */
      preprocess: PreprocessConfigSchema.optional(),
      labels: z.array(z.string().max(1000)).max(100_000).optional(),
      /** run with this target profile's session settings (the same resolver as bench and compare) */
      targetId: z.string().min(1).max(200).optional(),
    })
    .strict(),
  getRuntimeInfo: z.object({}).strict(),
} as const;

/** Responses of the runtime methods. */
export interface RuntimeResponses {
  getInputSpec: InputSpecDto;
  getInputSpecState: InputSpecStateDto;
  setInputSpec: InputSpecStateDto;
  runModel: RunResultDto;
  benchmark: BenchResultDto;
  listDemoImages: DemoImageDto[];
  classifyImage: ClassifyResultDto;
  getRuntimeInfo: RuntimeInfoDto;
}

export type { PreprocessConfig };
