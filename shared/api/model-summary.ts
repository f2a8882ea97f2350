/** The model summary DTO: what `inspect` prints and the Model screen shows. */
import { z } from 'zod';

/** One dimension: a number, a symbolic name, or null when unknown. */
export const DimSchema = z.union([z.number(), z.string(), z.null()]);

export const TensorInfoSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  /** null when the value has no tensor shape (unknown rank) */
  shape: z.array(DimSchema).nullable(),
  /** the ONNX type when it is not a tensor (sequence, map, optional) */
  kind: z.enum(['tensor', 'sparse_tensor', 'sequence', 'map', 'optional', 'opaque', 'unknown']),
  docString: z.string().optional(),
});
export type TensorInfo = z.infer<typeof TensorInfoSchema>;

export const ModelSummarySchema = z.object({
  path: z.string(),
  fileName: z.string(),
  fileSizeBytes: z.number(),
  /** bytes of tensors stored in external data files */
  externalDataBytes: z.number(),
  irVersion: z.number(),
  producerName: z.string(),
  producerVersion: z.string(),
  domain: z.string(),
  modelVersion: z.number(),
  docString: z.string(),
  opsetImports: z.record(z.string(), z.number()),
  inputs: z.array(TensorInfoSchema),
  outputs: z.array(TensorInfoSchema),
  nodeCount: z.number(),
  subgraphNodeCount: z.number(),
  initializerCount: z.number(),
  paramCount: z.number(),
  opCounts: z.record(z.string(), z.number()),
  weightBytesByDtype: z.record(z.string(), z.number()),
  metadataProps: z.record(z.string(), z.string()),
  functionCount: z.number(),
  hasTrainingInfo: z.boolean(),
  flops: z.number().nullable().optional(),
  macs: z.number().nullable().optional(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
