/** Pass `convert-fp16`: float16 weights and compute, fragile ops kept in float32, model inputs/outputs kept float32. */
import { z } from 'zod';
import type { Pass } from '../pass';
import { runFp16 } from '../quantize/fp16-run';

const Options = z
  .object({
    /** keep the model's float32 inputs and outputs (Cast at the edges) */
    keepIoTypes: z.boolean().default(true),
    /** op types kept in float32 (default: ops that lose range or precision in float16) */
    blockOps: z.array(z.string().min(1).max(100)).max(500).optional(),
    /** mixed precision: also keep normalizations, reductions and divisions in float32 */
    mixed: z.boolean().default(false),
    /** node names, or `/regex/` patterns, kept in float32 */
    exclude: z.array(z.string().min(1).max(1000)).max(10_000).default([]),
    /** data the float32 and float16 outputs are compared on (random inputs when left out) */
    calibration: z.string().min(1).max(4096).optional(),
    errorItems: z.number().int().min(0).max(100_000).default(16),
  })
  .strict();

export const convertFp16Pass: Pass<z.infer<typeof Options>> = {
  id: 'convert-fp16',
  title: 'Float16 conversion',
  produces: 'fp16',
  options: Options,
  run: (input, options, ctx) => runFp16(input, options, ctx),
};
