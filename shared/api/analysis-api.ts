/** The analysis methods of the StudioApi: every tensor's shape, per-node MACs/FLOPs/params/bytes, totals and peak memory. */
import { z } from 'zod';
import { jobRequestFields } from './jobs';

/** One dimension: a size, a symbol (`batch`, `batch*16`), or null when unknown. */
export type AnalysisDim = number | string | null;

/** Where a tensor's shape came from: its declaration, static inference, the model's value_info, or one onnxruntime run. */
export type ShapeSource = 'input' | 'weight' | 'inferred' | 'declared' | 'runtime' | 'unknown';

/** Numeric precision a node computes in (what the roofline looks up in a target's compute figures). */
export type ComputePrecision = 'fp32' | 'fp16' | 'bf16' | 'int8' | 'int4' | 'fp64' | 'other';

export interface TensorShapeDto {
  name: string;
  /** `main`, or the subgraph's path such as `main/If_0.then_branch` */
  graph: string;
  dtype: string;
  shape: AnalysisDim[] | null;
  source: ShapeSource;
  /** bytes of one instance at the analysed sizes (symbols without a size count as 1); null when unknown */
  bytes: number | null;
}

export interface NodeAnalysisDto {
  /** position in the graph's node list */
  index: number;
  /** the node's name ('' when it has none: use `#index`, as the graph view does) */
  name: string;
  opType: string;
  domain: string;
  graph: string;
  opClass: 'conv' | 'matmul' | 'attention' | 'pool' | 'norm' | 'elementwise' | 'reduce' | 'data' | 'view' | 'control' | 'other';
  precision: ComputePrecision;
  macs: number;
  flops: number;
  /** elements of the weights (initializers, Constant values) it reads */
  params: number;
  paramBytes: number;
  /** activation bytes read and written */
  inputBytes: number;
  outputBytes: number;
  /** how many times it runs per inference (a Loop body's trip count, a Scan's sequence length; 0 for an If branch not counted) */
  runs: number;
  /** false when a shape its cost needs is unknown */
  known: boolean;
}

export interface AnalysisTotals {
  macs: number;
  flops: number;
  params: number;
  weightBytes: number;
  /** bytes of every activation tensor (each counted once) */
  activationBytes: number;
  /** the most activation bytes alive at once, running nodes in topological order and freeing tensors after their last use */
  peakActivationBytes: number;
}

export interface ModelAnalysisDto {
  modelId: string;
  /** sizes used for symbolic dims */
  dims: Record<string, number>;
  /** symbols without a given size, counted as this size (1) in the figures */
  assumedDims: Record<string, number>;
  /** every tensor has a full shape (symbols allowed) */
  complete: boolean;
  /** MACs/FLOPs of every node are known */
  costsKnown: boolean;
  totals: AnalysisTotals;
  shapeSources: Record<ShapeSource, number>;
  /** tensors still without a full shape (up to 100) */
  unknownTensors: string[];
  /** op types static inference has no rule for, with node counts */
  unknownOps: Record<string, number>;
  /** whether onnxruntime was run once to find shapes static inference could not */
  runtimeFallback: { used: boolean; tensors: number; message: string | null };
  notes: string[];
  nodes: NodeAnalysisDto[];
  tensors: TensorShapeDto[];
}

/** Requests of the analysis methods. */
export const analysisRequests = {
  getAnalysis: z
    .object({
      modelId: z.string().min(1).max(200),
      /** sizes of symbolic dims (`batch`, `seq`); symbols left out are kept in shapes and count as 1 in figures */
      dims: z.record(z.string().min(1).max(1000), z.number().int().min(1).max(1_000_000)).optional(),
      /** run onnxruntime once when static inference leaves shapes unknown (default true) */
      runtimeFallback: z.boolean().optional(),
      ...jobRequestFields,
    })
    .strict(),
} as const;

/** Responses of the analysis methods. */
export interface AnalysisResponses {
  getAnalysis: ModelAnalysisDto;
}
