/** Pass `graph-optimize`: onnxruntime's offline graph optimizations (constant folding, Conv+BatchNorm fusion, …). */
import { z } from 'zod';
import { StudioError } from '../../../../shared/api/errors';
import { decodeModel, encodeModel } from '../../onnx/codec';
import { ortOptimize } from '../../runtime/ort-optimize';
import type { Pass } from '../pass';

const Options = z
  .object({
    /** `basic` keeps standard ONNX ops; `extended` adds onnxruntime-only fused ops (CPU/CUDA EPs only) */
    level: z.enum(['basic', 'extended']).default('basic'),
  })
  .strict();

export const graphOptimizePass: Pass<z.infer<typeof Options>> = {
  id: 'graph-optimize',
  title: 'Graph optimization',
  produces: 'optimized',
  options: Options,
  async run(input, options, ctx) {
    if (input.external.size > 0) {
      throw new StudioError('UNSUPPORTED_OP', 'Graph optimization of models with external data is not supported yet: inline the weights first.');
    }
    const nodesBefore = input.proto.graph?.node.length ?? 0;
    ctx.progress(0.1, 'onnxruntime optimizing');
    const bytes = await ortOptimize(encodeModel(input.proto), options.level);
    ctx.job.throwIfCancelled();
    const proto = decodeModel(bytes, `${input.sourceName} (optimized)`);
    const nodesAfter = proto.graph?.node.length ?? 0;
    const warnings = options.level === 'extended' ? ['Extended optimization adds onnxruntime-only operators: the model runs only on onnxruntime (CPU/CUDA).'] : [];
    return { proto, report: { level: options.level, nodesBefore, nodesAfter }, warnings };
  },
};
