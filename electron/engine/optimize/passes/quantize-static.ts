/** Pass `quantize-static`: int8 in QDQ form, calibrated on the user's data, that onnxruntime fuses into quantized kernels. */
import { z } from 'zod';
import type { Pass } from '../pass';
import { commonQuantOptions } from '../quantize/pass-common';
import { CALIBRATION_METHODS } from '../quantize/range-methods';
import { FIDELITY_METRICS } from '../quantize/fidelity';
import { runStatic } from '../quantize/static-run';

const Options = z
  .object({
    /** S8S8 (int8 activations), U8S8 (uint8 activations, int8 weights) or U8U8; default from the target */
    format: z.enum(['s8s8', 'u8s8', 'u8u8']).optional(),
    /** one scale per output channel of Conv/Gemm/MatMul weights; default from the target (on) */
    perChannel: z.boolean().optional(),
    /** symmetric activations (zero point in the middle); asymmetric lets Relu/Clip fold into the op before */
    symmetric: z.boolean().default(false),
    /** 7-bit weights; default on for U8S8 on x86 without VNNI */
    reduceRange: z.boolean().optional(),
    /** calibration method; default from the target (this host: mse) */
    method: z.enum(CALIBRATION_METHODS).optional(),
    /** the percentile kept by the percentile method */
    percentile: z.number().min(90).max(100).default(99.999),
    /** leave in float the Add/Mul/Pool/Concat nodes whose neighbours stay float; default off (measured slower on this host) */
    fusedOnly: z.boolean().optional(),
    /** the fidelity guard's metric: `auto` picks agreement for class scores, SNR for dense maps and sequences */
    fidelityMetric: z.enum(FIDELITY_METRICS).default('auto'),
    /** the guard's minimum output SNR, dB (default 20) */
    minSnrDb: z.number().min(-100).max(200).optional(),
    /** the guard's minimum agreement with the float model, percent (default 97) */
    minAgreement: z.number().min(0).max(100).optional(),
    /** run the fidelity guard (measure; with real data, keep sensitive nodes in float until met) */
    guard: z.boolean().default(true),
    /** items the guard evaluates at most */
    guardItems: z.number().int().min(1).max(100_000).default(128),
    ...commonQuantOptions,
  })
  .strict();

export const quantizeStaticPass: Pass<z.infer<typeof Options>> = {
  id: 'quantize-static',
  title: 'Static int8 quantization',
  produces: 'quantized',
  options: Options,
  run: (input, options, ctx) => runStatic(input, options, ctx),
};
