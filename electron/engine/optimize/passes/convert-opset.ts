/** Pass `convert-opset`: converts the model's ai.onnx opset (up to the newest onnxruntime runs, down where an inverse adapter exists). */
import { z } from 'zod';
import { convertOpset, LATEST_OPSET, OLDEST_DOWN_TARGET } from '../../onnx/convert';
import type { Pass } from '../pass';

const Options = z
  .object({
    /** the ai.onnx opset to convert to */
    opset: z.number().int().min(OLDEST_DOWN_TARGET).max(LATEST_OPSET).default(LATEST_OPSET),
  })
  .strict();

export const convertOpsetPass: Pass<z.infer<typeof Options>> = {
  id: 'convert-opset',
  title: 'Opset conversion',
  produces: 'optimized',
  options: Options,
  async run(input, options, ctx) {
    ctx.progress(0.1, `converting to opset ${options.opset}`);
    const { proto, report } = convertOpset(input.proto, options.opset, { external: input.external, inPlace: true, name: input.sourceName });
    ctx.job.log(`opset ${report.fromOpset} → ${report.toOpset}: ${report.ops.reduce((n, o) => n + o.nodes, 0)} nodes changed version`);
    return { proto, report: { ...report }, warnings: report.notes };
  },
};
