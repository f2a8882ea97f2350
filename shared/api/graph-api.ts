/** Graph view methods: the graph DTO (in chunks for big graphs), tensor details on demand, and the diff of two models. */
import { z } from 'zod';
import type { GraphHeaderDto, WireChunkDto } from '../graph/graph-dto';
import { jobRequestFields } from './jobs';

const ModelId = z.string().min(1).max(200);

/** The chain of (node, attribute, branch) steps to a nested graph; empty or absent for the main graph. */
export const SubgraphPathSchema = z
  .array(
    z
      .object({
        node: z.number().int().min(0),
        attribute: z.string().min(1).max(200),
        index: z.number().int().min(0),
      })
      .strict(),
  )
  .max(64);

/** Requests of the graph methods. */
export const graphRequests = {
  getGraph: z.object({ modelId: ModelId, subgraphPath: SubgraphPathSchema.optional(), ...jobRequestFields }).strict(),
  getGraphChunk: z
    .object({ modelId: ModelId, subgraphPath: SubgraphPathSchema.optional(), index: z.number().int().min(0).max(100_000) })
    .strict(),
  getTensorDetails: z
    .object({
      modelId: ModelId,
      subgraphPath: SubgraphPathSchema.optional(),
      name: z.string().min(1).max(4096),
      previewCount: z.number().int().min(0).max(1000).optional(),
      bins: z.number().int().min(4).max(256).optional(),
    })
    .strict(),
  diffModels: z.object({ modelIdA: ModelId, modelIdB: ModelId, ...jobRequestFields }).strict(),
} as const;

/** Statistics of a numeric tensor (NaN and infinities are counted, not included). */
export interface TensorStatsDto {
  min: number;
  max: number;
  mean: number;
  std: number;
  zeros: number;
  /** zeros / elements */
  sparsity: number;
  nans: number;
  infs: number;
}

/** A weight or constant in detail: stats, histogram and the first values. */
export interface TensorDetailsDto {
  name: string;
  dtype: string;
  shape: number[];
  elements: number;
  bytes: number;
  source: 'initializer' | 'constant';
  external: boolean;
  stats: TensorStatsDto | null;
  /** equal-width bins from `min` to `max` */
  histogram: { min: number; max: number; counts: number[] } | null;
  preview: Array<number | string>;
  /** more values exist than the preview holds */
  previewTruncated: boolean;
  /** why stats are missing (dtype without numeric reading, …) */
  note?: string;
}

/** One difference between two models. */
export interface DiffChangeDto {
  kind: 'added' | 'removed' | 'changed';
  op: string;
  /** the node in model A (absent for `added`) */
  nodeA: { name: string; fileIndex: number } | null;
  nodeB: { name: string; fileIndex: number } | null;
  /** readable lines: `op Conv → ConvInteger`, `attribute strides: [1,1] → [2,2]`, `weight W: values changed (12 of 4608)` */
  details: string[];
}

/** The difference between two open models (their main graphs, matched by node name, else by outputs). */
export interface ModelDiffDto {
  modelIdA: string;
  modelIdB: string;
  fileA: string;
  fileB: string;
  changes: DiffChangeDto[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
}

/** Responses of the graph methods. */
export interface GraphResponses {
  /** the header with the first chunk of nodes and tensors (all of them when `chunkCount` is 1), in wire form */
  getGraph: GraphHeaderDto & { first: WireChunkDto };
  getGraphChunk: WireChunkDto;
  getTensorDetails: TensorDetailsDto;
  diffModels: ModelDiffDto;
}
