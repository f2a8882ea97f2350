/** Pass `prune-magnitude`: zero the smallest weights (unstructured or N:M); the zeros pay off once the model is compressed. */
import { clone } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { layerMatcher, PruneMagnitudeOptionsSchema, type PruneMagnitudeOptions } from '../../../../shared/prune/prune-options';
import type { MagnitudePruneReport } from '../../../../shared/prune/prune-report';
import { replaceInitializer } from '../../onnx/ir/edits';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import { ModelProtoSchema } from '../../onnx/proto';
import type { Pass } from '../pass';
import { loadCalibration, randomCalibration } from '../prune/calibration';
import { packageSizes } from '../prune/compressed-size';
import { modelCost } from '../prune/cost';
import { magnitudePrune, magnitudeTargets } from '../prune/magnitude';
import { OutputChecker } from '../prune/output-check';
import { dimsOf, floatTensor, storedName } from '../prune/weights';
import { refuseQuantized } from '../prune/quantized-guard';

/** @returns N and M of an `N:M` pattern, checked. */
export function parseNM(nm: string): { n: number; m: number } {
  const [n, m] = nm.split(':').map(Number);
  if (!(m >= 2 && n >= 1 && n < m)) throw new StudioError('INVALID_REQUEST', `The N:M pattern "${nm}" needs 1 ≤ N < M, such as 2:4.`);
  return { n, m };
}

export const pruneMagnitudePass: Pass<PruneMagnitudeOptions> = {
  id: 'prune-magnitude',
  title: 'Magnitude pruning',
  produces: 'pruned',
  options: PruneMagnitudeOptionsSchema,
  async run(input, options, ctx) {
    refuseQuantized(input.proto);
    const nm = options.nm ? parseNM(options.nm) : undefined;
    const signal = ctx.job.signal;
    const warnings: string[] = [];
    ctx.progress(0.02, 'reading calibration data');
    const cal = options.calibration ? await loadCalibration(options.calibration, input.proto, input.sourceDir, signal, input.configDirs) : randomCalibration(input.proto, 4, ctx.inputSpec);
    const refProto = clone(ModelProtoSchema, input.proto);
    const refExternal = mapClonedTensors(input.proto, refProto, input.external);
    ctx.progress(0.1, 'measuring the model');
    const sizeBefore = await packageSizes(input.proto, input.external);
    const costBefore = modelCost(input.proto, input.external, input.sourceDir);
    ctx.job.throwIfCancelled();

    ctx.progress(0.3, 'zeroing weights');
    const ir = new ModelIR(input.proto);
    const targets = magnitudeTargets(ir, input.external, layerMatcher(options.skip), options.minWeights);
    if (!targets.some((t) => !t.skipped)) {
      throw new StudioError('INVALID_REQUEST', 'No Conv, Gemm or MatMul layer with stored float weights is left to prune (check the skip list and minWeights).');
    }
    const { layers, notes } = magnitudePrune(targets, { sparsity: options.sparsity, global: options.global, nm });
    for (const t of targets) {
      if (t.skipped) continue;
      const name = storedName(ir.graph, t.node.input[1]);
      replaceInitializer(ir.graph, name, floatTensor(name, dimsOf(t.tensor), t.values, t.tensor.dataType));
    }
    warnings.push(...notes);

    ctx.progress(0.5, 'checking the pruned model in onnxruntime');
    const checker = await OutputChecker.create(ctx.runtime, refProto, refExternal, cal, cal.holdout, signal);
    const check = await checker.check(ir.proto, input.external, 'The pruned model', signal);
    ctx.progress(0.75, 'compressing');
    const sizeAfter = await packageSizes(ir.proto, input.external);
    const costAfter = modelCost(ir.proto, input.external, input.sourceDir);
    const considered = layers.filter((l) => !l.skipped);
    const weightsConsidered = considered.reduce((s, l) => s + l.weights, 0);
    const zerosAfter = considered.reduce((s, l) => s + l.zerosAfter, 0);
    const allZeros = zerosAfter + layers.filter((l) => l.skipped).reduce((s, l) => s + l.zerosAfter, 0);
    warnings.push('Zeros pay off in a compressed package (and on sparse kernels), not in dense kernels: latency is unchanged.');
    const report: MagnitudePruneReport = {
      method: 'magnitude',
      sparsityRequested: nm ? 1 - nm.n / nm.m : options.sparsity,
      sparsityAchieved: zerosAfter / Math.max(1, weightsConsidered),
      modelSparsity: allZeros / Math.max(1, costBefore.params),
      global: options.global,
      nm: options.nm ?? null,
      weightsConsidered,
      zerosAfter,
      paramsBefore: costBefore.params,
      paramsAfter: costAfter.params,
      macsBefore: costBefore.macs,
      macsAfter: costAfter.macs,
      macsSource: costAfter.macsSource,
      denseBytesBefore: sizeBefore.dense,
      denseBytesAfter: sizeAfter.dense,
      compressedBytesBefore: sizeBefore.compressed,
      compressedBytesAfter: sizeAfter.compressed,
      layers,
      verifiedRuns: check.runs,
      error: { data: cal.random ? cal.description : `${cal.holdout.length} held-out samples of ${cal.description}`, before: check.metrics },
    };
    return { proto: ir.proto, report: report as unknown as Record<string, unknown>, warnings };
  },
};
