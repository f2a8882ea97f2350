/** The reports of the pruning passes and the preview DTO: what the CLI prints as JSON and the Prune panel draws. */
import type { FidelityMetricsDto } from '../api/evaluate-dto';

/** A structure that keeps channels from being removed. */
export interface PruneBlockDto {
  /** the node (or model output) responsible */
  node: string;
  op: string;
  reason: string;
}

/** How one layer changes under channel pruning. */
export interface ChannelLayerDto {
  node: string;
  op: string;
  /** the coupled group its output channels belong to (-1: it only reads pruned channels) */
  group: number;
  outBefore?: number;
  outAfter?: number;
  /** input features of its weight: channels, or channel × spatial columns after a Flatten */
  inBefore?: number;
  inAfter?: number;
}

/** Layers whose output channels are coupled (one residual stage, one Conv and its depthwise follower …). */
export interface ChannelGroupDto {
  index: number;
  layers: string[];
  channels: number;
  removed: number;
  status: 'pruned' | 'unchanged' | 'blocked' | 'partly-blocked' | 'skipped';
  blockedBy: PruneBlockDto[];
}

/** Least-squares recovery of one layer. */
export interface RecoveryLayerDto {
  node: string;
  rows: number;
  features: number;
  /** relative error ‖Y − Ŷ‖/‖Y‖ of its output before and after the re-fit, on the rows it was fitted on */
  errorBefore: number;
  errorAfter: number;
}

/** Output error of a pruned model against the original. */
export interface PruneErrorDto {
  /** what it was measured on (`16 held-out calibration samples`, `8 random inputs`) */
  data: string;
  /** without recovery */
  before: FidelityMetricsDto;
  /** with recovery (when it ran) */
  after?: FidelityMetricsDto;
}

/** The channel multiple kept counts were rounded to, and where it came from. */
export interface ChannelRoundingDto {
  /** kept channel counts are multiples of this where a layer has at least this many (1: no rounding) */
  multiple: number;
  /** `user`: the options set it; else where the target's multiple came from (`measured` on the host, the `profile`, the `isa`) */
  from: 'user' | 'measured' | 'profile' | 'isa';
  /** the target profile whose multiple it is (the host's when none was chosen) */
  target: string;
  /** the instruction set or accelerator, e.g. `AVX-512 VNNI` */
  isa: string;
  /** one sentence: how the multiple was found */
  source: string;
  /** layers whose kept count the rounding changed: the ratio alone would keep `unrounded` (at most 20) */
  changes: Array<{ node: string; unrounded: number; kept: number }>;
  /** how many layers the rounding changed in all */
  changedLayers: number;
}

/** The report of `prune-channels`. */
export interface ChannelPruneReport {
  method: 'channel';
  criterion: 'l1' | 'l2' | 'activation';
  sparsity: number;
  global: boolean;
  target: 'channels' | 'params' | 'macs';
  paramsBefore: number;
  paramsAfter: number;
  macsBefore: number;
  macsAfter: number;
  /** `analysis` (the analysis module's MACs of every op) */
  macsSource: string;
  channelsBefore: number;
  channelsAfter: number;
  /** output channels removed per layer */
  removedChannels: Record<string, number>;
  layers: ChannelLayerDto[];
  groups: ChannelGroupDto[];
  /** structures left intact, by name */
  blocked: PruneBlockDto[];
  foldedBatchNorms: string[];
  error: PruneErrorDto;
  recovery: { layers: RecoveryLayerDto[]; skipped: Array<{ node: string; reason: string }> } | null;
  /** onnxruntime ran the pruned model on this many inputs with outputs of the original's shapes */
  verifiedRuns: number;
  /** the channel multiple kept counts were rounded to */
  rounding?: ChannelRoundingDto;
}

/** One layer under magnitude pruning. */
export interface MagnitudeLayerDto {
  node: string;
  op: string;
  weight: string;
  weights: number;
  zerosBefore: number;
  zerosAfter: number;
  sparsity: number;
  /** why it was left dense */
  skipped?: string;
}

/** The report of `prune-magnitude`. */
export interface MagnitudePruneReport {
  method: 'magnitude';
  sparsityRequested: number;
  /** zeros among the weights considered (the layers not skipped) */
  sparsityAchieved: number;
  /** zeros among every parameter of the model */
  modelSparsity: number;
  global: boolean;
  nm: string | null;
  weightsConsidered: number;
  zerosAfter: number;
  paramsBefore: number;
  paramsAfter: number;
  macsBefore: number;
  macsAfter: number;
  macsSource: string;
  /** the encoded model, and deflated with zlib (what a compressed package carries) */
  denseBytesBefore: number;
  denseBytesAfter: number;
  compressedBytesBefore: number;
  compressedBytesAfter: number;
  layers: MagnitudeLayerDto[];
  verifiedRuns: number;
  error: PruneErrorDto;
}

/** One bar of the preview. */
export interface PreviewLayerDto {
  node: string;
  op: string;
  group: number;
  /** channels (channel pruning) or weights (magnitude) before and after */
  before: number;
  after: number;
  /** why it stays as it is */
  note?: string;
  /** channel pruning: what the ratio alone keeps, when rounding to the channel multiple changed it */
  unrounded?: number;
}

/** What a pruning run would do, computed without running the model. */
export interface PrunePreviewDto {
  method: 'channel' | 'magnitude';
  layers: PreviewLayerDto[];
  groups: ChannelGroupDto[];
  blocked: PruneBlockDto[];
  paramsBefore: number;
  paramsAfter: number;
  macsBefore: number;
  macsAfter: number;
  /** removed channels / all channels of prunable layers, or zero weights / weights considered */
  fraction: number;
  /** channel pruning: output channels of the prunable layers before and after (the report's `channelsBefore/After`) */
  channelsBefore?: number;
  channelsAfter?: number;
  /** channel pruning: the multiple kept counts are rounded to */
  rounding?: ChannelRoundingDto;
  notes: string[];
  ms: number;
}
