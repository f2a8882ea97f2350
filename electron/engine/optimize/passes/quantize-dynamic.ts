/** Pass `quantize-dynamic`: int8 weights of MatMul/Gemm (Conv on request), activations quantized at run time. */
import { z } from 'zod';
import type { Pass } from '../pass';
import { runDynamic } from '../quantize/dynamic-run';
import { commonQuantOptions } from '../quantize/pass-common';

const Options = z
  .object({
    /** one scale per output column of the weights */
    perChannel: z.boolean().default(true),
    /** 7-bit weights; default on for int8 weights on x86 without VNNI */
    reduceRange: z.boolean().optional(),
    /** int8 weights (U8S8 kernels) or uint8 weights with zero point 128 (U8U8: never saturates on AVX2) */
    weightType: z.enum(['int8', 'uint8']).default('int8'),
    ...commonQuantOptions,
  })
  .strict();

export const quantizeDynamicPass: Pass<z.infer<typeof Options>> = {
  id: 'quantize-dynamic',
  title: 'Dynamic int8 quantization',
  produces: 'quantized',
  options: Options,
  run: (input, options, ctx) => runDynamic(input, options, ctx),
};
