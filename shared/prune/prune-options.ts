/** Options of the pruning passes (`prune-magnitude`, `prune-channels`), shared by the engine, the CLI and the GUI. */
import { z } from 'zod';
import { PreprocessConfigSchema } from '../api/preprocess';

const layerPattern = z.string().min(1).max(1000);

/** Calibration data: a folder of (class folders of) images, a `.npy` file or folder, or ONNX `test_data_set_*` folders. */
export const CalibrationSchema = z
  .object({
    /** absolute, or relative to the model's folder */
    path: z.string().min(1).max(4096),
    /** samples read at most (a seeded random choice when the data holds more) */
    limit: z.number().int().min(2).max(10_000).default(128),
    /** image preprocessing; by default `preprocess.json` beside the data or the model, else derived from the input shape */
    preprocess: PreprocessConfigSchema.optional(),
  })
  .strict();
export type CalibrationOptions = z.infer<typeof CalibrationSchema>;

/** `prune-channels`: structured pruning that removes whole channels and everything coupled to them. */
export const PruneChannelsOptionsSchema = z
  .object({
    /** fraction of channels removed per coupled group (or, with `global`, of the target measure) */
    sparsity: z.number().min(0).max(0.95).default(0.3),
    criterion: z.enum(['l1', 'l2', 'activation']).default('l2'),
    /** rank channels across all groups instead of removing the same fraction from each */
    global: z.boolean().default(false),
    /** what a global target measures */
    target: z.enum(['channels', 'params', 'macs']).default('channels'),
    /** layers (node names; `*` wildcards) whose channels are kept, with every layer coupled to them */
    skip: z.array(layerPattern).max(1000).default([]),
    /** kept channel counts rounded to a multiple of this; left out: the target's channel multiple (1: no rounding) */
    roundTo: z.number().int().min(1).max(256).optional(),
    /** a global target never removes more than this fraction of one group */
    maxGroupRatio: z.number().min(0.05).max(0.95).default(0.8),
    /** fold BatchNormalization into the Conv/Gemm before it first (importance then sees the effective weights) */
    foldBatchNorm: z.boolean().default(true),
    calibration: CalibrationSchema.optional(),
    /** re-fit the layers after each cut by least squares on calibration data (needs `calibration`) */
    recover: z.boolean().default(false),
  })
  .strict();
export type PruneChannelsOptions = z.infer<typeof PruneChannelsOptionsSchema>;
export type PruneChannelsOptionsInput = z.input<typeof PruneChannelsOptionsSchema>;

/** `prune-magnitude`: zero the smallest weights (unstructured, or N:M). */
export const PruneMagnitudeOptionsSchema = z
  .object({
    /** fraction of weights set to zero (ignored with `nm`, which sets it to 1 − N/M) */
    sparsity: z.number().min(0).max(0.99).default(0.5),
    /** one threshold over every layer instead of the same sparsity in each */
    global: z.boolean().default(false),
    /** an N:M pattern such as `2:4`: N weights kept in every M consecutive input weights */
    nm: z
      .string()
      .regex(/^\d{1,2}:\d{1,2}$/, 'an N:M pattern such as "2:4"')
      .optional(),
    /** layers (node names; `*` wildcards) left dense */
    skip: z.array(layerPattern).max(1000).default([]),
    /** layers with fewer weights than this stay dense */
    minWeights: z.number().int().min(0).default(0),
    /** data the output error is measured on (random inputs otherwise) */
    calibration: CalibrationSchema.optional(),
  })
  .strict();
export type PruneMagnitudeOptions = z.infer<typeof PruneMagnitudeOptionsSchema>;
export type PruneMagnitudeOptionsInput = z.input<typeof PruneMagnitudeOptionsSchema>;

/** @returns a matcher for layer patterns (`*` matches any run of characters; otherwise exact names). */
export function layerMatcher(patterns: readonly string[]): (name: string) => string | undefined {
  const compiled = patterns.map((p) => ({ p, re: new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`) }));
  return (name) => compiled.find((c) => c.re.test(name))?.p;
}
