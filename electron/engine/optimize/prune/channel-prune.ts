/** Channel pruning, step by step: fold BN, analyse dependencies, score, plan, apply, and describe what changed. */
import { StudioError } from '../../../../shared/api/errors';
import { layerMatcher, type PruneChannelsOptions } from '../../../../shared/prune/prune-options';
import type { ChannelGroupDto, ChannelLayerDto, PruneBlockDto } from '../../../../shared/prune/prune-report';
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { NodeProto } from '../../onnx/proto';
import { applyPlan, keptPositions, type LayerChange } from './apply';
import { nodeLabel } from './channel-graph';
import { removeDeadWeights } from './cleanup';
import { costEstimator, modelCost, type ModelCost } from './cost';
import { analyzeChannels, type ChannelAnalysis } from './dependency-analysis';
import { foldBatchNorms } from './fold-bn';
import { buildGroups, type Grouping } from './groups';
import { normalizeByGroup, weightScores, type ChannelMeans, activationScores } from './importance';
import { planPruning, type Plan } from './plan';
import type { ExternalMap } from './weights';

/** A model analysed and ready to plan. */
export interface Prepared {
  ir: ModelIR;
  external: ExternalMap;
  folded: string[];
  analysis: ChannelAnalysis;
  grouping: Grouping;
  /** the model as given (before BN folding) */
  original: ModelCost;
  /** after BN folding: what planning estimates from */
  base: ModelCost;
  skipGroups: Set<number>;
}

/**
 * Folds BatchNormalization (when asked) and analyses the model; checks the skip patterns.
 * @param ir - the model, edited in place (BN folding)
 * @throws StudioError `INVALID_REQUEST` for a skip pattern matching no node
 */
export function prepareChannels(ir: ModelIR, external: ExternalMap, sourceDir: string, options: PruneChannelsOptions): Prepared {
  const original = modelCost(ir.proto, external, sourceDir);
  const folded = options.foldBatchNorm ? foldBatchNorms(ir, external) : [];
  if (folded.length) removeDeadWeights(ir.graph);
  const base = folded.length ? modelCost(ir.proto, external, sourceDir) : original;
  const analysis = analyzeChannels(ir, external);
  const grouping = buildGroups(analysis.cg);
  const names = ir.graph.nodes.map((n) => nodeLabel(n));
  for (const pattern of options.skip) {
    if (!names.some((n) => layerMatcher([pattern])(n))) {
      const examples = grouping.groups.flatMap((g) => g.sources.map((s) => s.name)).slice(0, 3);
      throw new StudioError('INVALID_REQUEST', `No layer matches the skip pattern "${pattern}". Layers are named by their node, e.g. ${examples.map((e) => `"${e}"`).join(', ')}.`);
    }
  }
  const match = layerMatcher(options.skip);
  const skipGroups = new Set(grouping.groups.filter((g) => g.sources.some((s) => match(s.name))).map((g) => g.index));
  return { ir, external, folded, analysis, grouping, original, base, skipGroups };
}

/**
 * Scores every channel class (per-group normalized for global plans).
 * @param means - channel means on calibration data (activation criterion)
 */
export function channelScores(p: Prepared, options: PruneChannelsOptions, means?: ChannelMeans): Float64Array {
  const { cg } = p.analysis;
  const raw =
    options.criterion === 'activation' && means
      ? activationScores(p.ir, p.external, cg, means)
      : weightScores(p.ir, p.external, cg, options.criterion === 'l1' ? 'l1' : 'l2');
  return options.global ? normalizeByGroup(raw, p.grouping) : raw;
}

/**
 * Plans the removal.
 * @param roundTo - kept channel counts are rounded to a multiple of this (1: no rounding)
 * @param scores - from {@link channelScores}
 */
export function planChannels(p: Prepared, options: PruneChannelsOptions, roundTo: number, scores: Float64Array): Plan {
  return planPruning(
    p.analysis.cg,
    p.grouping,
    scores,
    { ratio: options.sparsity, global: options.global, target: options.target, roundTo, maxGroupRatio: options.maxGroupRatio, skipGroups: p.skipGroups },
    costEstimator(p.ir, p.analysis.cg, p.base),
    p.base,
  );
}

/** Applies a plan to the prepared model. @returns the per-layer changes */
export function applyChannels(p: Prepared, plan: Plan): LayerChange[] {
  return applyPlan(p.ir, p.external, p.analysis.cg, plan.removed);
}

/** The layers that lost input channels and may be re-fitted, in graph order, with their kept output channels. */
export function refitCandidates(p: Prepared, plan: Plan): Array<{ node: NodeProto; outKeep: Int32Array | null }> {
  const { cg } = p.analysis;
  const changed = new Set<NodeProto>();
  const outKeep = new Map<NodeProto, Int32Array | null>();
  for (const e of cg.edits) {
    if (e.role === 'in' && keptPositions(cg, e.ids, plan.removed)) changed.add(e.node);
    if (e.role === 'out') outKeep.set(e.node, keptPositions(cg, e.ids, plan.removed));
  }
  return p.ir.graph.nodes.filter((n) => changed.has(n)).map((node) => ({ node, outKeep: outKeep.get(node) ?? null }));
}

/** What the plan does, per group, per layer and overall. */
export interface ChannelSummary {
  groups: ChannelGroupDto[];
  layers: ChannelLayerDto[];
  blocked: PruneBlockDto[];
  removedChannels: Record<string, number>;
  channelsBefore: number;
  channelsAfter: number;
}

/** Describes a plan (and, once applied, its layer changes). */
export function describePlan(p: Prepared, plan: Plan, changes: LayerChange[]): ChannelSummary {
  const { cg } = p.analysis;
  const groupOfSource = new Map<string, number>();
  const groups: ChannelGroupDto[] = p.grouping.groups.map((g) => {
    for (const s of g.sources) groupOfSource.set(s.name, g.index);
    const removed = g.classes.filter((r) => plan.removed[r]).length;
    const status: ChannelGroupDto['status'] = p.skipGroups.has(g.index)
      ? 'skipped'
      : g.prunable.length === 0
        ? 'blocked'
        : removed > 0
          ? g.prunable.length < g.classes.length ? 'partly-blocked' : 'pruned'
          : g.prunable.length < g.classes.length ? 'partly-blocked' : 'unchanged';
    return { index: g.index, layers: g.sources.map((s) => s.name), channels: g.classes.length, removed, status, blockedBy: g.blockedBy };
  });
  const removedChannels: Record<string, number> = {};
  let channelsBefore = 0;
  let channelsAfter = 0;
  for (const s of cg.sources) {
    if (s.kind === 'fixed') continue;
    let kept = 0;
    for (let id = s.first; id < s.first + s.channels; id++) if (!plan.removed[cg.uf.find(id)]) kept++;
    removedChannels[s.name] = s.channels - kept;
    channelsBefore += s.channels;
    channelsAfter += kept;
  }
  const layers = changes.map((c) => ({ ...c, group: groupOfSource.get(c.node) ?? -1 }));
  return { groups, layers, blocked: cg.blocks, removedChannels, channelsBefore, channelsAfter };
}
