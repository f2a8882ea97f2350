/** Pass `prune-channels`: structured pruning that physically removes channels and everything coupled to them. */
import { clone } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { PruneChannelsOptionsSchema, type PruneChannelsOptions } from '../../../../shared/prune/prune-options';
import type { ChannelPruneReport, PruneErrorDto } from '../../../../shared/prune/prune-report';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import { ModelProtoSchema } from '../../onnx/proto';
import type { PassContext, Pass, PassInput } from '../pass';
import { channelMeans } from '../prune/activation-stats';
import { loadCalibration, randomCalibration, type Calibration } from '../prune/calibration';
import { applyChannels, channelScores, describePlan, planChannels, prepareChannels, refitCandidates } from '../prune/channel-prune';
import { chooseRounding, roundingReport } from '../prune/channel-rounding';
import { modelCost } from '../prune/cost';
import { activationTensors } from '../prune/importance';
import { OutputChecker } from '../prune/output-check';
import { recoverLayers, snapshotWeights } from '../prune/recovery';
import { refuseQuantized } from '../prune/quantized-guard';

/** Random inputs the pruned model is checked on when no calibration data is given. */
const RANDOM_CHECKS = 8;

function requireCalibration(options: PruneChannelsOptions): void {
  if (options.calibration) return;
  if (options.recover) throw new StudioError('INVALID_REQUEST', 'Recovery re-fits layers on calibration data: give calibration data (a folder of images or a .npy file), or turn recovery off.');
  if (options.criterion === 'activation') throw new StudioError('INVALID_REQUEST', 'The activation criterion measures channels on calibration data: give calibration data, or use the l1 or l2 criterion.');
}

async function calibrationFor(input: PassInput, options: PruneChannelsOptions, ctx: PassContext): Promise<Calibration> {
  return options.calibration ? loadCalibration(options.calibration, input.proto, input.sourceDir, ctx.job.signal, input.configDirs) : randomCalibration(input.proto, RANDOM_CHECKS, ctx.inputSpec);
}

export const pruneChannelsPass: Pass<PruneChannelsOptions> = {
  id: 'prune-channels',
  title: 'Channel pruning',
  produces: 'pruned',
  options: PruneChannelsOptionsSchema,
  async run(input, options, ctx) {
    refuseQuantized(input.proto);
    requireCalibration(options);
    const signal = ctx.job.signal;
    const warnings: string[] = [];
    ctx.progress(0.02, 'reading calibration data');
    const cal = await calibrationFor(input, options, ctx);
    if (cal.random) warnings.push(`No calibration data: the pruned model was checked, and its output error measured, on ${RANDOM_CHECKS} random inputs.`);
    const refProto = clone(ModelProtoSchema, input.proto);
    const reference = { proto: refProto, external: mapClonedTensors(input.proto, refProto, input.external) };

    ctx.progress(0.08, 'analysing channel dependencies');
    const ir = new ModelIR(input.proto);
    const prepared = prepareChannels(ir, input.external, input.sourceDir, options);
    ctx.job.log(`${prepared.grouping.groups.length} groups of coupled layers, ${prepared.analysis.cg.blocks.length} blocking structures`);
    ctx.job.throwIfCancelled();

    let means;
    if (options.criterion === 'activation') {
      ctx.progress(0.12, 'measuring activations');
      means = await channelMeans(ctx.runtime, reference.proto, reference.external, cal, activationTensors(prepared.analysis.cg), signal, (f) => ctx.progress(0.12 + 0.1 * f, 'measuring activations'));
    }
    ctx.progress(0.25, 'planning');
    const choice = await chooseRounding(ctx.profiles, ctx.targetId, options.roundTo);
    const scores = channelScores(prepared, options, means);
    const plan = planChannels(prepared, options, choice.multiple, scores);
    const { rounding } = roundingReport(prepared, choice, plan, choice.multiple > 1 ? planChannels(prepared, options, 1, scores) : undefined);
    ctx.job.log(`channel multiple ${choice.multiple} (${choice.source})`);
    const changes = applyChannels(prepared, plan);
    const summary = describePlan(prepared, plan, changes);
    ctx.job.log(`removing ${summary.channelsBefore - summary.channelsAfter} of ${summary.channelsBefore} channels`);

    ctx.progress(0.3, 'checking the pruned model in onnxruntime');
    const checker = await OutputChecker.create(ctx.runtime, reference.proto, reference.external, cal, cal.holdout, signal);
    const before = await checker.check(ir.proto, input.external, 'The pruned model', signal);
    const error: PruneErrorDto = { data: cal.random ? cal.description : `${cal.holdout.length} held-out calibration samples of ${cal.description}`, before: before.metrics };
    let verifiedRuns = before.runs;
    let recovery: ChannelPruneReport['recovery'] = null;
    if (options.recover) {
      const saved = snapshotWeights(ir);
      recovery = await recoverLayers({
        runtime: ctx.runtime,
        reference,
        pruned: ir,
        external: input.external,
        layers: refitCandidates(prepared, plan),
        cal,
        signal,
        progress: (f, stage) => ctx.progress(0.35 + 0.55 * f, stage),
      });
      const after = await checker.check(ir.proto, input.external, 'The recovered model', signal);
      verifiedRuns += after.runs;
      error.after = after.metrics;
      if ((after.metrics.snrDb ?? Infinity) < (before.metrics.snrDb ?? Infinity)) {
        warnings.push('Recovery made the error on held-out calibration samples worse, so the pruned weights were kept. Try more calibration samples.');
        saved.restore();
      }
    }
    ctx.progress(0.95, 'measuring the pruned model');
    const after = modelCost(ir.proto, input.external, input.sourceDir);
    if (summary.channelsAfter === summary.channelsBefore) {
      warnings.push(
        summary.channelsBefore === 0
          ? 'The model has no Conv, Gemm or MatMul layer with stored weights: there are no channels to remove.'
          : 'No channel was removed: every layer is kept by the structures in the "blocked" list (or skipped), or the sparsity rounds to zero channels.',
      );
    }
    const blocking = summary.blocked.filter((b) => b.op !== 'output');
    if (blocking.length) warnings.push(`${blocking.length} structure(s) kept channels from being removed (${blocking.slice(0, 3).map((b) => b.node).join(', ')}${blocking.length > 3 ? ', …' : ''}); see the report's "blocked" list.`);
    const report: ChannelPruneReport = {
      method: 'channel',
      criterion: options.criterion,
      sparsity: options.sparsity,
      global: options.global,
      target: options.target,
      paramsBefore: prepared.original.params,
      paramsAfter: after.params,
      macsBefore: prepared.original.macs,
      macsAfter: after.macs,
      macsSource: after.macsSource,
      channelsBefore: summary.channelsBefore,
      channelsAfter: summary.channelsAfter,
      removedChannels: summary.removedChannels,
      layers: summary.layers,
      groups: summary.groups,
      blocked: summary.blocked,
      foldedBatchNorms: prepared.folded,
      error,
      recovery,
      verifiedRuns,
      rounding,
    };
    return { proto: ir.proto, report: report as unknown as Record<string, unknown>, warnings };
  },
};
