/** The dry run behind the Prune panel's preview: plan (and apply to a copy) without running the model. */
import { clone } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { layerMatcher, PruneChannelsOptionsSchema, PruneMagnitudeOptionsSchema } from '../../../../shared/prune/prune-options';
import type { PreviewLayerDto, PrunePreviewDto } from '../../../../shared/prune/prune-report';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import type { LoadedModel } from '../../onnx/load';
import { ModelProtoSchema } from '../../onnx/proto';
import type { ProfileSource } from '../pass';
import { applyChannels, channelScores, describePlan, planChannels, prepareChannels } from './channel-prune';
import { chooseRounding, roundingReport } from './channel-rounding';
import { modelCost } from './cost';
import { magnitudePrune, magnitudeTargets } from './magnitude';
import { refuseQuantized } from './quantized-guard';

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, options: unknown, pass: string): T {
  const r = schema.safeParse(options);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new StudioError('INVALID_REQUEST', `${pass}: option ${issue.path.join('.') || '(options)'}: ${issue.message}.`);
}

/** The profiles and the chosen target, for the channel multiple kept counts are rounded to. */
export interface PreviewTarget {
  profiles: ProfileSource;
  targetId?: string;
}

/** Reports a stage and gives the event loop a turn (progress events go out, a cancel comes in); throws when cancelled. */
export type PreviewStep = (fraction: number, stage: string) => Promise<void>;

/**
 * Previews a pruning pass on a loaded model.
 * @param pass - `prune-channels` or `prune-magnitude`
 * @param options - the pass's options (validated here)
 * @param target - where the channel multiple comes from (the target's profile; the host's when no target is given)
 * @param step - called between stages
 */
export async function previewPruning(
  model: LoadedModel,
  pass: 'prune-channels' | 'prune-magnitude',
  options: unknown,
  target: PreviewTarget,
  step: PreviewStep = async () => undefined,
): Promise<PrunePreviewDto> {
  const t0 = performance.now();
  refuseQuantized(model.proto);
  await step(0.05, 'copying the model');
  const proto = clone(ModelProtoSchema, model.proto);
  const external = mapClonedTensors(model.proto, proto, model.external);
  const ir = new ModelIR(proto);
  const notes: string[] = [];
  if (pass === 'prune-magnitude') {
    const o = parse(PruneMagnitudeOptionsSchema, options, pass);
    const nm = o.nm?.split(':').map(Number);
    await step(0.2, 'ranking weights');
    const targets = magnitudeTargets(ir, external, layerMatcher(o.skip), o.minWeights);
    const { layers, notes: more } = magnitudePrune(targets, { sparsity: o.sparsity, global: o.global, nm: nm ? { n: nm[0], m: nm[1] } : undefined });
    await step(0.8, 'measuring');
    const cost = modelCost(proto, external, model.dir);
    const considered = layers.filter((l) => !l.skipped);
    notes.push(...more, 'Zeros pay off in a compressed package (and on sparse kernels), not in dense kernels: latency is unchanged.');
    return {
      method: 'magnitude',
      layers: layers.map((l) => ({ node: l.node, op: l.op, group: -1, before: l.weights, after: l.weights - l.zerosAfter, ...(l.skipped ? { note: l.skipped } : {}) })),
      groups: [],
      blocked: [],
      paramsBefore: cost.params,
      paramsAfter: cost.params,
      macsBefore: cost.macs,
      macsAfter: cost.macs,
      fraction: considered.reduce((s, l) => s + l.zerosAfter, 0) / Math.max(1, considered.reduce((s, l) => s + l.weights, 0)),
      notes,
      ms: performance.now() - t0,
    };
  }
  const o = parse(PruneChannelsOptionsSchema, options, pass);
  if (o.criterion === 'activation') notes.push('The preview ranks channels by their weights (L2); the run measures activations on the calibration data, so the chosen channels may differ.');
  await step(0.15, 'analysing channel dependencies');
  const prepared = prepareChannels(ir, external, model.dir, { ...o, criterion: o.criterion === 'activation' ? 'l2' : o.criterion });
  await step(0.45, 'ranking channels');
  const choice = await chooseRounding(target.profiles, target.targetId, o.roundTo);
  const scores = channelScores(prepared, o);
  const plan = planChannels(prepared, o, choice.multiple, scores);
  const { rounding, unroundedOf } = roundingReport(prepared, choice, plan, choice.multiple > 1 ? planChannels(prepared, o, 1, scores) : undefined);
  await step(0.65, 'removing channels from a copy');
  const changes = applyChannels(prepared, plan);
  const summary = describePlan(prepared, plan, changes);
  await step(0.85, 'measuring');
  const after = modelCost(prepared.ir.proto, external, model.dir);
  const noteOf = new Map<string, string>();
  for (const g of summary.groups) {
    const why = g.status === 'skipped' ? 'skipped' : g.blockedBy.map((b) => `${b.node}: ${b.reason}`).join('; ');
    if (why && g.status !== 'pruned') for (const l of g.layers) noteOf.set(l, why);
  }
  const layers: PreviewLayerDto[] = prepared.analysis.cg.sources
    .filter((s) => s.kind !== 'fixed')
    .map((s) => {
      const removed = summary.removedChannels[s.name] ?? 0;
      const group = prepared.grouping.groups.findIndex((g) => g.sources.includes(s));
      const note = noteOf.get(s.name);
      const unrounded = unroundedOf.get(s.name);
      return { node: s.name, op: s.op, group, before: s.channels, after: s.channels - removed, ...(note ? { note } : {}), ...(unrounded !== undefined ? { unrounded } : {}) };
    });
  if (o.recover) notes.push('Recovery re-fits the layers after the cut on the calibration data; the preview shows the cut only.');
  return {
    method: 'channel',
    layers,
    groups: summary.groups,
    blocked: summary.blocked,
    paramsBefore: prepared.original.params,
    paramsAfter: after.params,
    macsBefore: prepared.original.macs,
    macsAfter: after.macs,
    fraction: 1 - summary.channelsAfter / Math.max(1, summary.channelsBefore),
    channelsBefore: summary.channelsBefore,
    channelsAfter: summary.channelsAfter,
    rounding,
    notes,
    ms: performance.now() - t0,
  };
}
