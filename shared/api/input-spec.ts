/** The input spec: concrete sizes for symbolic and unnamed dimensions, and values for inputs that are not free data. */
import { z } from 'zod';

/** How one input is made when the user gives no data for it. */
export const InputRuleSchema = z
  .object({
    /** the full concrete shape (fixes every symbolic or unnamed axis of this input) */
    shape: z.array(z.number().int().min(0).max(100_000_000)).max(16).optional(),
    /** a fixed value: one number fills the tensor (a sample rate of 16000), an array gives every element */
    value: z.union([z.number(), z.array(z.number()).max(1_000_000)]).optional(),
    /** random values in [lo, hi] (integers for integer inputs: token ids in a vocabulary) */
    range: z.tuple([z.number(), z.number()]).optional(),
    /** a data file (.npy, .npz, .pb, .json or an image); relative paths resolve against the spec file's folder */
    file: z.string().min(1).max(4096).optional(),
    /** all zeros (a recurrent state) */
    zeros: z.boolean().optional(),
  })
  .strict()
  .refine((r) => [r.value !== undefined, r.range !== undefined, r.file !== undefined, r.zeros === true].filter(Boolean).length <= 1, {
    message: 'give at most one of value, range, file and zeros for an input',
  })
  .refine((r) => !r.range || r.range[0] <= r.range[1], { message: 'range must be [low, high] with low ≤ high' });
export type InputRule = z.infer<typeof InputRuleSchema>;

/** `--input-spec FILE`: `{"inputs": {"audio": {"shape": [1, 512]}, "sr": {"value": 16000}}, "dims": {"batch": 1}}`. */
export const InputSpecSchema = z
  .object({
    inputs: z.record(z.string().max(1000), InputRuleSchema).default({}),
    /** sizes of named symbolic dimensions (`batch_size`), or of unnamed ones as `input:axis` */
    dims: z.record(z.string().max(1100), z.number().int().min(0).max(100_000_000)).default({}),
  })
  .strict();
export type InputSpec = z.infer<typeof InputSpecSchema>;

/** Where a size or a value came from. */
export type SpecOrigin = 'model' | 'spec' | 'data' | 'guess';

/** One axis of an input, as it will be run. */
export interface ResolvedAxisDto {
  axis: number;
  /** the dim_param, or `input:axis` for an unnamed one; null for a fixed size */
  symbol: string | null;
  value: number;
  origin: SpecOrigin;
  /** why a guess is what it is */
  why?: string;
}

/** One input, as the studio will feed it when no data file is given. */
export interface ResolvedInputDto {
  name: string;
  dtype: string;
  declared: Array<number | string | null>;
  axes: ResolvedAxisDto[];
  fill: { kind: 'random' | 'range' | 'value' | 'zeros' | 'file'; low?: number; high?: number; value?: number | number[]; file?: string };
  fillOrigin: SpecOrigin;
  fillWhy?: string;
}

/** The spec of a model: what the user set, and everything resolved (guesses marked). */
export interface InputSpecStateDto {
  modelId: string;
  spec: InputSpec;
  resolved: ResolvedInputDto[];
  /** one line per guess, for warnings: `audio:1 = 16000 (a guess: …); set it with --dim audio:1=N` */
  guesses: string[];
}

/**
 * The name a dimension is set by on the command line and in `dims`: its dim_param, or `input:axis` when unnamed.
 * @param input - the input's name
 * @param axis - the axis
 * @param dimParam - the declared dim_param, when there is one
 */
export function dimKey(input: string, axis: number, dimParam?: string | null): string {
  return dimParam ? dimParam : `${input}:${axis}`;
}
