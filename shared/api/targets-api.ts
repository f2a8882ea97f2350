/** The target methods of the StudioApi: profiles, host detection, compatibility findings and latency/memory estimates. */
import { z } from 'zod';
import type { AnalysisDim } from './analysis-api';
import type { ChannelMultipleFigures, TargetProfile } from '../targets/profile-schema';

export type { TargetProfile } from '../targets/profile-schema';

/** A profile as listed: built in, or the user's own file. */
export interface TargetEntryDto {
  profile: TargetProfile;
  builtIn: boolean;
  /** the file it was read from */
  path: string;
  /** the host profile, whose figures come from detection */
  detected: boolean;
}

/** A user profile file that was refused. */
export interface InvalidProfileDto {
  file: string;
  message: string;
}

export interface TargetListDto {
  targets: TargetEntryDto[];
  invalid: InvalidProfileDto[];
  /** where user profiles are saved */
  userDir: string;
}

/** One onnxruntime execution provider on this host. */
export interface HostEpDto {
  name: string;
  /** shipped inside onnxruntime-node */
  bundled: boolean;
  /** a tiny session ran on it */
  loadable: boolean;
  /** why it did not load (onnxruntime's message, shortened) */
  reason: string | null;
}

export interface HostInfoDto {
  cpuModel: string;
  /** physical cores (logical when unknown) */
  cores: number;
  logicalCores: number;
  /** clock used for the peak figure, GHz (null when unknown) */
  clockGHz: number | null;
  simd: string[];
  /** FLOPs per cycle per core of the widest vector unit */
  fp32FlopsPerCycle: number;
  peakGops: { fp32: number; int8: number };
  /** measured by a copy loop */
  memoryBandwidthGBs: number;
  ramBytes: number;
  platform: string;
  arch: string;
  onnxruntimeVersion: string;
  executionProviders: HostEpDto[];
  detectedAt: string;
  notes: string[];
  /** the channel block of onnxruntime's convolutions here (measured), as the host profile's `channelMultiple` */
  channelMultiple?: ChannelMultipleFigures;
}

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One thing the compatibility check found, with what to do about it. */
export interface FindingDto {
  /** stable code, e.g. `op-cpu-fallback`, `memory-over-budget` */
  code: string;
  severity: FindingSeverity;
  title: string;
  detail: string;
  suggestion: string;
  opType?: string;
  /** affected node names (at most 20) */
  nodes?: string[];
  nodeCount?: number;
}

/** How many nodes each execution provider takes. */
export interface EpAssignmentDto {
  ep: string;
  nodes: number;
  opTypes: string[];
}

export interface LatencyNodeDto {
  name: string;
  opType: string;
  graph: string;
  ms: number;
  bound: 'compute' | 'memory' | 'overhead';
  precision: string;
}

/** A roofline estimate: per node max(compute, memory) plus a fixed overhead, summed. */
export interface LatencyEstimateDto {
  /** the estimate (labelled "estimated", never "measured") */
  ms: number;
  /** the stated uncertainty band: ms ÷ factor … ms × factor */
  lowMs: number;
  highMs: number;
  uncertaintyFactor: number;
  computeBoundMs: number;
  memoryBoundMs: number;
  overheadMs: number;
  /** nodes ORT fuses into their producer (Conv+Relu …) and so cost nothing here */
  fusedNodes: number;
  byOpClass: Record<string, number>;
  slowestNodes: LatencyNodeDto[];
  /** per-node estimates (ms per inference) keyed like the graph view's overlays: the node name (`#index` when it has
   * none), prefixed with `graph/` for subgraph nodes */
  perNode: Record<string, number>;
  assumptions: string[];
}

export interface MemoryEstimateDto {
  weightBytes: number;
  peakActivationBytes: number;
  /** weights + peak activations */
  totalBytes: number;
  budgetBytes: number;
  storageBytes: number;
  storageBudgetBytes: number;
}

/** What applying a profile to a session on this host does. */
export interface ProfileSessionDto {
  executionProviders: string[];
  intraOpThreads: number | null;
  interOpThreads: number | null;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  /** what the session reproduces of the target */
  emulated: string[];
  /** what this host cannot reproduce */
  notEmulated: string[];
}

export interface CheckResultDto {
  modelId: string;
  fileName: string;
  target: { id: string; name: string; deviceClass: string };
  verdict: 'ok' | 'warnings' | 'errors';
  findings: FindingDto[];
  assignment: EpAssignmentDto[];
  latency: LatencyEstimateDto | null;
  memory: MemoryEstimateDto;
  analysis: { macs: number; flops: number; complete: boolean; dims: Record<string, number>; assumedDims: Record<string, number>; inputShapes: Record<string, AnalysisDim[] | null> };
  session: ProfileSessionDto;
  checkedAt: string;
}

const targetId = z.string().min(1).max(100);

/** Requests of the target methods. */
export const targetsRequests = {
  listTargets: z.object({}).strict(),
  getHostInfo: z.object({ refresh: z.boolean().optional() }).strict(),
  checkTarget: z
    .object({
      modelId: z.string().min(1).max(200),
      targetId,
      dims: z.record(z.string().min(1).max(1000), z.number().int().min(1).max(1_000_000)).optional(),
    })
    .strict(),
  /** the profile is validated by the engine, which names the bad field */
  saveTargetProfile: z.object({ profile: z.unknown(), overwrite: z.boolean().optional() }).strict(),
  deleteTargetProfile: z.object({ id: targetId }).strict(),
  getTargetSession: z.object({ targetId }).strict(),
} as const;

/** Responses of the target methods. */
export interface TargetsResponses {
  listTargets: TargetListDto;
  getHostInfo: HostInfoDto;
  checkTarget: CheckResultDto;
  saveTargetProfile: TargetEntryDto;
  deleteTargetProfile: { deleted: boolean };
  getTargetSession: ProfileSessionDto;
}
